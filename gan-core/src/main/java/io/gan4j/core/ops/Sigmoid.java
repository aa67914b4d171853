package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code 1 / (1 + e^-x)}. */
public final class Sigmoid extends Function {
    private Tensor y;

    public static Tensor apply(Tensor x) {
        Sigmoid fn = new Sigmoid();
        fn.y = Kernels.unary(UnaryOp.SIGMOID, 0f, x);
        return record(fn, fn.y, x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // s * (1 - s)
        return new Tensor[] {g.mul(y.mul(y.neg().add(1f)))};
    }
}
