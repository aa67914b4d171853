package io.gan4j.core.nn;

import io.gan4j.core.ops.Ops;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * Leaky ReLU with a learned slope (PyTorch's nn.PReLU, used by SRGAN): {@code weight} holds one slope shared
 * by all channels or one per channel (axis 1), initialised to 0.25 by default.
 */
public final class PReLU extends Module {
    private final int numParameters;

    public PReLU(int numParameters, float init) {
        if (numParameters < 1) {
            throw new IllegalArgumentException("PReLU: num_parameters must be >= 1, got " + numParameters);
        }
        this.numParameters = numParameters;
        Init.constant(registerParameter("weight", persistentZeros(numParameters)), init);
    }

    public PReLU(int numParameters) {
        this(numParameters, 0.25f);
    }

    public PReLU() {
        this(1);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    @Override
    public Tensor forward(Tensor x) {
        if (numParameters != 1 && (x.dim() < 2 || x.size(1) != numParameters)) {
            throw new IllegalArgumentException(this + ": expected input [N, " + numParameters + ", ...], got "
                    + Shape.str(x.shape()));
        }
        return Ops.prelu(x, weight());
    }

    @Override
    protected String extraRepr() {
        return "num_parameters=" + numParameters;
    }
}
