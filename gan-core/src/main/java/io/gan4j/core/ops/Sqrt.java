package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code sqrt(x)}. */
public final class Sqrt extends Function {
    private Tensor y;

    public static Tensor apply(Tensor x) {
        Sqrt fn = new Sqrt();
        fn.y = Kernels.unary(UnaryOp.SQRT, 0f, x);
        return record(fn, fn.y, x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // d sqrt(x) = 1 / (2 sqrt(x)); y is the recorded output, so this differentiates again
        return new Tensor[] {g.div(y).mul(0.5f)};
    }
}
