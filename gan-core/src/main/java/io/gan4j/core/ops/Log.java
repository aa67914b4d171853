package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code ln x}. */
public final class Log extends Function {
    public static Tensor apply(Tensor x) {
        return record(new Log(), Kernels.unary(UnaryOp.LOG, 0f, x), x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.div(input(0))};
    }
}
