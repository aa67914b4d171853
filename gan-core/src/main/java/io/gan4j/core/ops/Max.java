package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.ReduceOp;
import io.gan4j.core.tensor.Tensor;

/** Maximum over axes (size-1 axes kept); ties share the gradient equally, as PyTorch's amax. */
public final class Max extends Function {
    private Tensor y;

    public static Tensor apply(Tensor x, int[] axes) {
        Max fn = new Max();
        fn.y = Kernels.reduceKeepDims(ReduceOp.MAX, x, axes);
        return record(fn, fn.y, x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = input(0);
        // where x attains the maximum: a constant mask, so the derivative is exact to any order
        Tensor mask = Kernels.binary("max", BinaryOp.EQ, x, y);
        Tensor count = Kernels.sumTo(mask, y.shape());
        Tensor share = Kernels.binary("max", BinaryOp.DIV, mask, count);
        return new Tensor[] {g.expand(x.shape()).mul(share)};
    }
}
