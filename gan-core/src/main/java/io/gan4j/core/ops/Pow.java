package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code x ^ p} for a constant exponent. */
public final class Pow extends Function {
    private final float p;

    private Pow(float p) {
        this.p = p;
    }

    public static Tensor apply(Tensor x, float p) {
        return record(new Pow(p), Kernels.unary(UnaryOp.POW_SCALAR, p, x), x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = input(0);
        if (p == 0f) {
            return new Tensor[] {g.mul(0f)};   // not 0 * x^-1, which is NaN at 0
        }
        Tensor d = p == 2f ? x.mul(2f) : x.pow(p - 1).mul(p);
        return new Tensor[] {g.mul(d)};
    }
}
