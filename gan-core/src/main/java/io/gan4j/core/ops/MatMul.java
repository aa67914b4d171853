package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * {@code op(A) op(B)} where op transposes the last two axes when asked; rank 2, or rank 3 with equal
 * batch sizes (batched GEMM).
 */
public final class MatMul extends Function {
    private final boolean transA;
    private final boolean transB;

    private MatMul(boolean transA, boolean transB) {
        this.transA = transA;
        this.transB = transB;
    }

    public static Tensor apply(Tensor a, Tensor b, boolean transA, boolean transB) {
        Kernels.sameBackend("matmul", a, b);
        int rank = a.dim();
        if ((rank != 2 && rank != 3) || b.dim() != rank || (rank == 3 && a.size(0) != b.size(0))) {
            throw new IllegalArgumentException("matmul: expected two matrices or two equal batches of matrices, got "
                    + Shape.str(a.shape()) + " and " + Shape.str(b.shape()));
        }
        int batch = rank == 3 ? a.size(0) : 1;
        int ar = a.size(-2);
        int ac = a.size(-1);
        int br = b.size(-2);
        int bc = b.size(-1);
        int m = transA ? ac : ar;
        int k = transA ? ar : ac;
        int kb = transB ? bc : br;
        int n = transB ? br : bc;
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner sizes differ: " + Shape.str(a.shape())
                    + (transA ? "^T" : "") + " x " + Shape.str(b.shape()) + (transB ? "^T" : "")
                    + " (" + k + " vs " + kb + ")");
        }
        Tensor c = rank == 3 ? Tensor.empty(a.backend(), batch, m, n) : Tensor.empty(a.backend(), m, n);
        a.backend().gemm(transA, transB, m, n, k, 1f, a.buffer(), ac, (long) ar * ac, b.buffer(), bc, (long) br * bc,
                0f, c.buffer(), n, (long) m * n, batch);
        return record(new MatMul(transA, transB), c, a, b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor a = input(0);
        Tensor b = input(1);
        Tensor ga = null;
        Tensor gb = null;
        if (needsGrad(0)) {
            ga = transA ? apply(b, g, transB, true) : apply(g, b, false, !transB);
        }
        if (needsGrad(1)) {
            gb = transB ? apply(g, a, true, transA) : apply(a, g, !transA, false);
        }
        return new Tensor[] {ga, gb};
    }
}
