package io.gan4j.core.ops;

import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static io.gan4j.core.ops.OpsTesting.randn;
import static io.gan4j.core.ops.OpsTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Every kernel must honour a buffer's offset: an op applied to a slice (a view into the middle of a
 * larger tensor) gives exactly what it gives on a fresh copy of that slice, forward and backward.
 */
class ViewInputsTest {

    /** A [rows, ...] view starting at row 1 of a larger tensor, and an independent copy of it. */
    private static Tensor[] sliceAndCopy(long seed, int... shape) {
        int[] big = shape.clone();
        big[0] += 2;
        Tensor whole = randn(seed, big);
        Tensor view = whole.slice(1, 1 + shape[0]);
        return new Tensor[] {view, Tensor.of(view.toArray(), shape)};
    }

    private static void same(String what, Function<Tensor, Tensor> op, int... shape) {
        Tensor[] vc = sliceAndCopy(what.hashCode(), shape);
        assertArrayEquals(op.apply(vc[1]).toArray(), op.apply(vc[0]).toArray(), what + " forward");
        Tensor lv = vc[0].detach().requiresGrad(true);
        Tensor lc = vc[1].detach().requiresGrad(true);
        Tensor r = randn(7, op.apply(vc[1]).shape());
        op.apply(lv).mul(r).sum().backward();
        op.apply(lc).mul(r).sum().backward();
        assertArrayEquals(lc.grad().toArray(), lv.grad().toArray(), what + " backward");
    }

    @Test
    void opsOnSlicesEqualOpsOnCopies() {
        Tensor w = randn(1, 3, 2, 3, 3);
        Tensor wt = randn(2, 2, 3, 3, 3);
        Tensor gamma = uniform(3, 0.5f, 1.5f, 2);
        Tensor beta = randn(4, 2);
        same("elementwise", x -> x.exp().mul(x).add(x.sigmoid()).div(x.square().add(1f)), 3, 4);
        same("broadcast", x -> x.add(Tensor.arange(4)).mul(x.sum(new int[] {1}, true)), 3, 4);
        same("permute", x -> x.permute(2, 0, 1), 2, 3, 4);
        same("reductions", x -> x.sum(1).add(x.max(new int[] {1}, false)).add(x.mean(new int[] {0, 1}, false).reshape(1, 4)), 3, 5, 4);
        same("concat/narrow", x -> Ops.concat(1, Ops.narrow(x, 1, 1, 2), x), 2, 4);
        same("matmul", x -> x.matmul(x.transpose(0, 1)), 3, 5);
        same("batched matmul", x -> Ops.matmul(x, x, false, true), 2, 3, 4);
        same("conv", x -> Ops.conv2d(x, w, 2, 1), 2, 2, 5, 5);
        same("conv transpose", x -> Ops.convTranspose2d(x, wt, 2, 1, 1), 2, 2, 4, 4);
        same("batch norm", x -> Ops.batchNorm(x, gamma, beta, null, null, 0.1f, 1e-5f), 3, 2, 2, 2);
        same("upsample", x -> Ops.upsampleNearest(x, 2), 2, 2, 2, 3);
        same("pixel shuffle", x -> Ops.pixelShuffle(x, 2), 2, 4, 2, 3);
        same("pixel unshuffle", x -> Ops.pixelUnshuffle(x, 2), 2, 1, 4, 2);
        same("prelu", x -> Ops.prelu(x, gamma), 2, 2, 3);
        same("linear", x -> Ops.linear(x, randn(5, 3, 4), randn(6, 3)), 2, 4);
    }
}
