package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.tensor.Tensor;

/**
 * Sum over the axes that broadcasting added or stretched, back to {@code shape}; this is how sums over
 * axes are computed too (with size-1 axes kept).
 */
public final class SumTo extends Function {
    public static Tensor apply(Tensor x, int[] shape) {
        return record(new SumTo(), Kernels.sumTo(x, shape), x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.expand(input(0).shape())};
    }
}
