package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code a + b} with broadcasting. */
public final class Add extends Function {
    public static Tensor apply(Tensor a, Tensor b) {
        return record(new Add(), Kernels.binary("add", BinaryOp.ADD, a, b), a, b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.sumTo(g, input(0).shape()), Ops.sumTo(g, input(1).shape())};
    }
}
