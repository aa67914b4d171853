package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code a * b} elementwise, with broadcasting. */
public final class Mul extends Function {
    public static Tensor apply(Tensor a, Tensor b) {
        return record(new Mul(), Kernels.binary("mul", BinaryOp.MUL, a, b), a, b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor a = input(0);
        Tensor b = input(1);
        return new Tensor[] {needsGrad(0) ? Ops.sumTo(g.mul(b), a.shape()) : null,
                needsGrad(1) ? Ops.sumTo(g.mul(a), b.shape()) : null};
    }
}
