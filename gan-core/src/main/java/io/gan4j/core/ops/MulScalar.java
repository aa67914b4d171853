package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code x * c}. */
public final class MulScalar extends Function {
    private final float c;

    private MulScalar(float c) {
        this.c = c;
    }

    public static Tensor apply(Tensor x, float c) {
        return record(new MulScalar(c), Kernels.unary(UnaryOp.MUL_SCALAR, c, x), x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(c)};
    }
}
