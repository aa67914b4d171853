package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code a / b} elementwise, with broadcasting. */
public final class Div extends Function {
    public static Tensor apply(Tensor a, Tensor b) {
        return record(new Div(), Kernels.binary("div", BinaryOp.DIV, a, b), a, b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor a = input(0);
        Tensor b = input(1);
        // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2
        return new Tensor[] {needsGrad(0) ? Ops.sumTo(g.div(b), a.shape()) : null,
                needsGrad(1) ? Ops.sumTo(g.mul(a).div(b.square()).neg(), b.shape()) : null};
    }
}
