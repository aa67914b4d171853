package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code tanh x}. */
public final class Tanh extends Function {
    private Tensor y;

    public static Tensor apply(Tensor x) {
        Tanh fn = new Tanh();
        fn.y = Kernels.unary(UnaryOp.TANH, 0f, x);
        return record(fn, fn.y, x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // 1 - tanh^2
        return new Tensor[] {g.mul(y.square().neg().add(1f))};
    }
}
