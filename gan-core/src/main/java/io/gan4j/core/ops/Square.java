package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code x^2}. */
public final class Square extends Function {
    public static Tensor apply(Tensor x) {
        return record(new Square(), Kernels.unary(UnaryOp.SQUARE, 0f, x), x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(input(0)).mul(2f)};
    }
}
