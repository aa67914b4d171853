package io.gan4j.core.nn;

import io.gan4j.core.ops.Ops;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/** {@code y = x W^T + b}: weight {@code [out, in]}, bias {@code [out]}, input {@code [N, in]} (PyTorch's nn.Linear). */
public final class Linear extends Module implements WeightedLayer {
    private final int inFeatures;
    private final int outFeatures;

    /** With PyTorch's default initialisation, drawn from {@code gen}. */
    public Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("Linear: features must be >= 1, got in=" + inFeatures
                    + " out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        Tensor w = registerParameter("weight", persistentZeros(outFeatures, inFeatures));
        Tensor b = bias ? registerParameter("bias", persistentZeros(outFeatures)) : null;
        Init.pytorchDefault(w, b, gen);
    }

    public Linear(int inFeatures, int outFeatures, Generator gen) {
        this(inFeatures, outFeatures, true, gen);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null for a layer without one. */
    public Tensor bias() {
        return parameterOrNull("bias");
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Tensor forward(Tensor x) {
        return forwardWithWeight(x, weight());
    }

    @Override
    public Tensor forwardWithWeight(Tensor x, Tensor weight) {
        if (x.dim() != 2 || x.size(1) != inFeatures) {
            throw new IllegalArgumentException(this + ": expected input [N, " + inFeatures + "], got "
                    + Shape.str(x.shape()));
        }
        return Ops.linear(x, weight, bias());
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias() != null ? "True" : "False");
    }
}
