package io.gan4j.core.nn;

import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * Reshapes each sample, keeping the batch axis: {@code [N, ...] -> [N, shape...]} (one size may be -1). The
 * DCGAN generator uses {@code Reshape(256, 7, 7)} between its linear layer and its first convolution.
 */
public final class Reshape extends Module {
    private final int[] shape;

    public Reshape(int... shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("Reshape: no target shape given");
        }
        this.shape = shape.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 1) {
            throw new IllegalArgumentException(this + ": expected input with a batch axis, got " + Shape.str(x.shape()));
        }
        int[] target = new int[shape.length + 1];
        target[0] = x.size(0);
        System.arraycopy(shape, 0, target, 1, shape.length);
        try {
            return x.reshape(target);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + ": cannot reshape input " + Shape.str(x.shape()) + " to "
                    + Shape.str(target), e);
        }
    }

    @Override
    protected String extraRepr() {
        return Shape.str(shape).replace('[', '(').replace(']', ')');
    }
}
