package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code x + c}. */
public final class AddScalar extends Function {
    public static Tensor apply(Tensor x, float c) {
        return record(new AddScalar(), Kernels.unary(UnaryOp.ADD_SCALAR, c, x), x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g};
    }
}
