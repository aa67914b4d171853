package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.ConvGeometry;

/**
 * Convolution of the CPU backend as im2col + GEMM. The batch is processed in slices whose column matrix
 * stays under a fixed size; the slicing depends only on the geometry, so results are identical for every
 * thread count.
 */
final class CpuConvolution {
    /** Largest column matrix, in floats (64 MiB). */
    private static final long COLUMN_LIMIT = 16L << 20;

    private final Parallel parallel;
    private final CpuGemm gemm;

    CpuConvolution(Parallel parallel, CpuGemm gemm) {
        this.parallel = parallel;
        this.gemm = gemm;
    }

    private static int slice(ConvGeometry g) {
        long perImage = (long) g.c() * g.r() * g.s() * g.p() * g.q();
        return (int) Math.max(1, Math.min(g.n(), COLUMN_LIMIT / Math.max(1, perImage)));
    }

    void forward(ConvGeometry g, CpuBuffer x, CpuBuffer w, CpuBuffer y) {
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int nb = slice(g);
        float[] col = new float[crs * nb * pq];
        float[] out = new float[g.k() * nb * pq];
        for (int n0 = 0; n0 < g.n(); n0 += nb) {
            int cnt = Math.min(nb, g.n() - n0);
            im2col(g, x.array(), x.offset(), n0, cnt, col);
            gemm.gemm(false, false, g.k(), cnt * pq, crs, 1f, w.array(), w.offset(), crs,
                    col, 0, cnt * pq, 0f, out, 0, cnt * pq);
            scatterKnpqToNkpq(g, out, cnt, y.array(), y.offset() + n0 * g.k() * pq);
        }
    }

    void backwardData(ConvGeometry g, CpuBuffer dy, CpuBuffer w, CpuBuffer dx) {
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int nb = slice(g);
        float[] col = new float[crs * nb * pq];
        float[] grad = new float[g.k() * nb * pq];
        for (int n0 = 0; n0 < g.n(); n0 += nb) {
            int cnt = Math.min(nb, g.n() - n0);
            gatherNkpqToKnpq(g, dy.array(), dy.offset() + n0 * g.k() * pq, cnt, grad);
            gemm.gemm(true, false, crs, cnt * pq, g.k(), 1f, w.array(), w.offset(), crs,
                    grad, 0, cnt * pq, 0f, col, 0, cnt * pq);
            col2im(g, col, n0, cnt, dx.array(), dx.offset());
        }
    }

    void backwardFilter(ConvGeometry g, CpuBuffer x, CpuBuffer dy, CpuBuffer dw) {
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int nb = slice(g);
        float[] col = new float[crs * nb * pq];
        float[] grad = new float[g.k() * nb * pq];
        for (int n0 = 0; n0 < g.n(); n0 += nb) {
            int cnt = Math.min(nb, g.n() - n0);
            im2col(g, x.array(), x.offset(), n0, cnt, col);
            gatherNkpqToKnpq(g, dy.array(), dy.offset() + n0 * g.k() * pq, cnt, grad);
            gemm.gemm(false, true, g.k(), crs, cnt * pq, 1f, grad, 0, cnt * pq,
                    col, 0, cnt * pq, n0 == 0 ? 0f : 1f, dw.array(), dw.offset(), crs);
        }
    }

    /** col[(c*R + r)*S + s][nl*PQ + p*Q + q] = x[n0 + nl][c][p*sh - ph + r][q*sw - pw + s], 0 outside. */
    private void im2col(ConvGeometry g, float[] x, int xOff, int n0, int cnt, float[] col) {
        int pq = g.p() * g.q();
        int rows = g.c() * g.r() * g.s();
        int cols = cnt * pq;
        parallel.forRange(rows, 1, (from, to) -> {
            for (int row = from; row < to; row++) {
                int s = row % g.s();
                int r = (row / g.s()) % g.r();
                int c = row / (g.s() * g.r());
                int dst = row * cols;
                for (int nl = 0; nl < cnt; nl++) {
                    int plane = xOff + ((n0 + nl) * g.c() + c) * g.h() * g.w();
                    for (int p = 0; p < g.p(); p++) {
                        int ih = p * g.strideH() - g.padH() + r;
                        if (ih < 0 || ih >= g.h()) {
                            java.util.Arrays.fill(col, dst, dst + g.q(), 0f);
                            dst += g.q();
                            continue;
                        }
                        int src = plane + ih * g.w();
                        for (int q = 0; q < g.q(); q++) {
                            int iw = q * g.strideW() - g.padW() + s;
                            col[dst++] = iw >= 0 && iw < g.w() ? x[src + iw] : 0f;
                        }
                    }
                }
            }
        });
    }

    /** dx[n0 + nl][c] = sum over (r, s, p, q) of col: each input plane is summed by one task, in order. */
    private void col2im(ConvGeometry g, float[] col, int n0, int cnt, float[] dx, int dxOff) {
        int pq = g.p() * g.q();
        int cols = cnt * pq;
        int hw = g.h() * g.w();
        parallel.forRange(cnt * g.c(), 1, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int nl = plane / g.c();
                int c = plane % g.c();
                int dst = dxOff + ((n0 + nl) * g.c() + c) * hw;
                java.util.Arrays.fill(dx, dst, dst + hw, 0f);
                for (int r = 0; r < g.r(); r++) {
                    for (int s = 0; s < g.s(); s++) {
                        int src = ((c * g.r() + r) * g.s() + s) * cols + nl * pq;
                        for (int p = 0; p < g.p(); p++) {
                            int ih = p * g.strideH() - g.padH() + r;
                            if (ih < 0 || ih >= g.h()) {
                                continue;
                            }
                            int rowBase = dst + ih * g.w();
                            int srcRow = src + p * g.q();
                            for (int q = 0; q < g.q(); q++) {
                                int iw = q * g.strideW() - g.padW() + s;
                                if (iw >= 0 && iw < g.w()) {
                                    dx[rowBase + iw] += col[srcRow + q];
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /** out[k][nl*PQ + pq] -> y[nl][k][pq]. */
    private void scatterKnpqToNkpq(ConvGeometry g, float[] out, int cnt, float[] y, int yOff) {
        int pq = g.p() * g.q();
        parallel.forRange(g.k(), 1, (from, to) -> {
            for (int k = from; k < to; k++) {
                for (int nl = 0; nl < cnt; nl++) {
                    System.arraycopy(out, k * cnt * pq + nl * pq, y, yOff + (nl * g.k() + k) * pq, pq);
                }
            }
        });
    }

    /** dy[nl][k][pq] -> grad[k][nl*PQ + pq]. */
    private void gatherNkpqToKnpq(ConvGeometry g, float[] dy, int dyOff, int cnt, float[] grad) {
        int pq = g.p() * g.q();
        parallel.forRange(g.k(), 1, (from, to) -> {
            for (int k = from; k < to; k++) {
                for (int nl = 0; nl < cnt; nl++) {
                    System.arraycopy(dy, dyOff + (nl * g.k() + k) * pq, grad, k * cnt * pq + nl * pq, pq);
                }
            }
        });
    }
}
