package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code ln(1 + e^x)}, stable for large |x|. */
public final class Softplus extends Function {
    public static Tensor apply(Tensor x) {
        return record(new Softplus(), Kernels.unary(UnaryOp.SOFTPLUS, 0f, x), x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(input(0).sigmoid())};
    }
}
