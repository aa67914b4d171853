package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code |x|} (gradient 0 at 0, as PyTorch). */
public final class Abs extends Function {
    public static Tensor apply(Tensor x) {
        return record(new Abs(), Kernels.unary(UnaryOp.ABS, 0f, x), x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(Kernels.unary(UnaryOp.SIGN, 0f, input(0)))};
    }
}
