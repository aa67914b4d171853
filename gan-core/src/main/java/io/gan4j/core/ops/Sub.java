package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code a - b} with broadcasting. */
public final class Sub extends Function {
    public static Tensor apply(Tensor a, Tensor b) {
        return record(new Sub(), Kernels.binary("sub", BinaryOp.SUB, a, b), a, b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.sumTo(g, input(0).shape()),
                needsGrad(1) ? Ops.sumTo(g.neg(), input(1).shape()) : null};
    }
}
