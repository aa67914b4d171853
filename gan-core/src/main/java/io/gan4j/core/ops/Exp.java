package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code e^x}. */
public final class Exp extends Function {
    private Tensor y;

    public static Tensor apply(Tensor x) {
        Exp fn = new Exp();
        fn.y = Kernels.unary(UnaryOp.EXP, 0f, x);
        return record(fn, fn.y, x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(y)};
    }
}
