package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.ReduceOp;
import io.gan4j.core.backend.UnaryOp;

/** Elementwise maps, broadcasting, permutation and reductions of the CPU backend. */
final class CpuElementwise {
    private static final int GRAIN = 1 << 14;

    private final Parallel parallel;
    private final ElementwiseKernels kernels;

    CpuElementwise(Parallel parallel, ElementwiseKernels kernels) {
        this.parallel = parallel;
        this.kernels = kernels;
    }

    void unary(UnaryOp op, float alpha, CpuBuffer x, CpuBuffer y) {
        float[] xs = x.array();
        float[] ys = y.array();
        int xo = x.offset();
        int yo = y.offset();
        parallel.forRange(x.size(), GRAIN, (from, to) ->
                kernels.unary(op, alpha, xs, xo + from, ys, yo + from, to - from));
    }

    void binary(BinaryOp op, CpuBuffer a, long[] as, CpuBuffer b, long[] bs, CpuBuffer out, int[] outShape) {
        float[] av = a.array();
        float[] bv = b.array();
        float[] ov = out.array();
        int ao = a.offset();
        int bo = b.offset();
        int oo = out.offset();
        // the fewest axes that walk a, b and out alike: contiguous operands become one row, a per-channel
        // operand rows of the whole feature map (else a [16, 64, 14, 14] product ran as 14,336 rows of 14)
        int[] shape = new int[outShape.length];
        long[] sa = new long[outShape.length];
        long[] sb = new long[outShape.length];
        int rank = collapse(outShape, as, bs, shape, sa, sb);
        if (rank == 0) {
            ov[oo] = ScalarElementwiseKernels.apply(op, av[ao], bv[bo]);
            return;
        }
        int inner = shape[rank - 1];
        int ia = (int) sa[rank - 1];
        int ib = (int) sb[rank - 1];
        // chunks of the flat output, so that a few long rows are split over the threads as well
        parallel.forRange(out.size(), GRAIN, (from, to) -> {
            int row = from / inner;
            int i0 = from - row * inner;
            for (int done = from; done < to; row++, i0 = 0) {
                int len = Math.min(inner - i0, to - done);
                // offsets of this row in a and b, from its multi-index over the leading axes
                long pa = ao + i0 * (long) ia;
                long pb = bo + i0 * (long) ib;
                int rest = row;
                for (int d = rank - 2; d >= 0; d--) {
                    int idx = rest % shape[d];
                    rest /= shape[d];
                    pa += idx * sa[d];
                    pb += idx * sb[d];
                }
                int o = oo + done;
                int x = (int) pa;
                int y = (int) pb;
                if (ia == 1 && ib == 1) {
                    kernels.binary(op, av, x, bv, y, ov, o, len);
                } else if (ia == 1 && ib == 0) {
                    kernels.binaryScalarRight(op, av, x, bv[y], ov, o, len);
                } else if (ia == 0 && ib == 1) {
                    kernels.binaryScalarLeft(op, av[x], bv, y, ov, o, len);
                } else {
                    for (int i = 0; i < len; i++, x += ia, y += ib) {
                        ov[o + i] = ScalarElementwiseKernels.apply(op, av[x], bv[y]);
                    }
                }
                done += len;
            }
        });
    }

    /**
     * Drops the size-1 axes of {@code shape} and merges each axis into the one before it where both operands
     * step over it as over one longer axis (the outer stride is the inner one times the inner size, 0 for a
     * broadcast); returns the rank left, the axes in {@code dims} and the strides in {@code sa}, {@code sb}.
     */
    static int collapse(int[] shape, long[] as, long[] bs, int[] dims, long[] sa, long[] sb) {
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (r > 0 && sa[r - 1] == as[d] * shape[d] && sb[r - 1] == bs[d] * shape[d]) {
                dims[r - 1] *= shape[d];
                sa[r - 1] = as[d];
                sb[r - 1] = bs[d];
            } else {
                dims[r] = shape[d];
                sa[r] = as[d];
                sb[r] = bs[d];
                r++;
            }
        }
        return r;
    }

    void permute(CpuBuffer x, int[] shape, int[] perm, CpuBuffer y) {
        int rank = shape.length;
        float[] xs = x.array();
        float[] ys = y.array();
        int xo = x.offset();
        int yo = y.offset();
        long[] inStrides = new long[rank];
        long s = 1;
        for (int d = rank - 1; d >= 0; d--) {
            inStrides[d] = s;
            s *= shape[d];
        }
        int[] outShape = new int[rank];
        long[] strides = new long[rank];   // input stride of each output axis
        for (int d = 0; d < rank; d++) {
            outShape[d] = shape[perm[d]];
            strides[d] = inStrides[perm[d]];
        }
        if (rank == 0) {
            ys[yo] = xs[xo];
            return;
        }
        int inner = outShape[rank - 1];
        int rows = (int) (s / Math.max(1, inner));
        int step = (int) strides[rank - 1];
        parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, inner)), (from, to) -> {
            for (int row = from; row < to; row++) {
                long p = xo;
                int rest = row;
                for (int d = rank - 2; d >= 0; d--) {
                    int idx = rest % outShape[d];
                    rest /= outShape[d];
                    p += idx * strides[d];
                }
                int src = (int) p;
                int dst = yo + row * inner;
                for (int i = 0; i < inner; i++, src += step) {
                    ys[dst + i] = xs[src];
                }
            }
        });
    }

    void reduce(ReduceOp op, CpuBuffer x, int outer, int length, int inner, CpuBuffer y) {
        float[] xs = x.array();
        float[] ys = y.array();
        int xo = x.offset();
        int yo = y.offset();
        boolean max = op == ReduceOp.MAX;
        if (inner == 1) {
            parallel.forRange(outer, Math.max(1, GRAIN / Math.max(1, length)), (from, to) -> {
                for (int o = from; o < to; o++) {
                    int base = xo + o * length;
                    float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                    if (max) {
                        for (int i = 0; i < length; i++) acc = Math.max(acc, xs[base + i]);
                    } else {
                        acc = sumPairwise(xs, base, length);
                    }
                    ys[yo + o] = acc;
                }
            });
            return;
        }
        // reduce the middle axis row by row; each output column accumulates in index order
        parallel.forRange(outer * inner, Math.max(1, GRAIN / Math.max(1, length)), (from, to) -> {
            int o = from / inner;
            int j0 = from % inner;
            int i = from;
            while (i < to) {
                int j1 = Math.min(inner, j0 + (to - i));
                int dst = yo + o * inner;
                for (int j = j0; j < j1; j++) ys[dst + j] = max ? Float.NEGATIVE_INFINITY : 0f;
                for (int l = 0; l < length; l++) {
                    int src = xo + (o * length + l) * inner;
                    if (max) {
                        for (int j = j0; j < j1; j++) ys[dst + j] = Math.max(ys[dst + j], xs[src + j]);
                    } else {
                        kernels.addTo(xs, src + j0, ys, dst + j0, j1 - j0);
                    }
                }
                i += j1 - j0;
                o++;
                j0 = 0;
            }
        });
    }

    /** Sum in a fixed pairwise order: accurate for long rows, and identical on every run. */
    private static float sumPairwise(float[] x, int from, int n) {
        if (n <= 256) {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                s0 += x[from + i];
                s1 += x[from + i + 1];
                s2 += x[from + i + 2];
                s3 += x[from + i + 3];
            }
            for (; i < n; i++) s0 += x[from + i];
            return (s0 + s1) + (s2 + s3);
        }
        int half = (n / 2 + 7) & ~7;
        return sumPairwise(x, from, half) + sumPairwise(x, from + half, n - half);
    }
}
