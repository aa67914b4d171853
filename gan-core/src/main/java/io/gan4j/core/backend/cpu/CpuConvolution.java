package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.ConvGeometry;

/**
 * Convolution of the CPU backend as im2col + GEMM, with {@code W} as the {@code [K][CRS]} matrix:
 * <ul>
 *   <li>forward: {@code Y = W · col(x)}</li>
 *   <li>backward data: {@code dx = col2im(Wᵀ · dY)}</li>
 *   <li>backward filter: {@code dW = dY · col(x)ᵀ}</li>
 * </ul>
 * The columns of one GEMM cover a whole slice of the batch, so its N is {@code images * P * Q} rather
 * than the few dozen pixels of one small feature map. Within a slice, tensors are held batch innermost
 * ({@link BatchInner}), which makes im2col and col2im runs of array copies (see {@link Im2col}); a
 * slice of one image needs no reordering at all.
 *
 * <p>The slices depend only on the geometry, every output element is written by one task, and the GEMM
 * is deterministic, so results are identical for every thread count.
 */
final class CpuConvolution {
    /**
     * Largest column matrix of one slice, in floats (16 MiB): big enough that the GEMM's N is in the
     * thousands and the batch runs are dozens of floats long for the usual feature maps, small enough
     * that the matrix is still in the last-level cache when the GEMM reads it back.
     */
    static final long COLUMN_LIMIT = 4L << 20;

    private final CpuGemm gemm;
    private final Im2col im2col;
    private final BatchInner reorder;
    private final ConvScratch.Cache scratch = new ConvScratch.Cache();

    CpuConvolution(Parallel parallel, CpuGemm gemm) {
        this.gemm = gemm;
        this.im2col = new Im2col(parallel);
        this.reorder = new BatchInner(parallel);
    }

    /** Images per slice: the fewest slices whose column matrices fit the limit, all of about the same size. */
    static int sliceSize(ConvGeometry g) {
        long perImage = (long) g.c() * g.r() * g.s() * g.p() * g.q();
        int most = (int) Math.max(1, Math.min(g.n(), COLUMN_LIMIT / perImage));
        int slices = (g.n() + most - 1) / most;
        return (g.n() + slices - 1) / slices;
    }

    void forward(ConvGeometry g, CpuBuffer x, CpuBuffer w, CpuBuffer y) {
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int nb = sliceSize(g);
        float[] xs = x.array();
        float[] ws = w.array();
        float[] ys = y.array();
        ConvScratch s = scratch.take();
        try {
            float[] col = s.columns((long) crs * pq * nb);
            for (int n0 = 0; n0 < g.n(); n0 += nb) {
                int cnt = Math.min(nb, g.n() - n0);
                int cols = pq * cnt;
                lower(g, xs, x.offset(), n0, cnt, s, col);
                if (cnt == 1) {
                    // [K][PQ] of one image is already NCHW: the GEMM writes y itself
                    gemm.gemm(false, false, g.k(), cols, crs, 1f, ws, w.offset(), crs, col, 0, cols,
                            0f, ys, y.offset() + n0 * g.k() * pq, cols);
                } else {
                    float[] out = s.outputs((long) g.k() * cols);
                    gemm.gemm(false, false, g.k(), cols, crs, 1f, ws, w.offset(), crs, col, 0, cols, 0f, out, 0, cols);
                    reorder.toNchw(out, cnt, g.k(), pq, ys, y.offset(), n0);
                }
            }
        } finally {
            scratch.giveBack(s);
        }
    }

    void backwardData(ConvGeometry g, CpuBuffer dy, CpuBuffer w, CpuBuffer dx) {
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int nb = sliceSize(g);
        float[] dys = dy.array();
        float[] ws = w.array();
        float[] dxs = dx.array();
        ConvScratch s = scratch.take();
        try {
            float[] col = s.columns((long) crs * pq * nb);
            for (int n0 = 0; n0 < g.n(); n0 += nb) {
                int cnt = Math.min(nb, g.n() - n0);
                int cols = pq * cnt;
                float[] grad = gradient(g, dys, dy.offset(), n0, cnt, s);
                int gradOff = cnt == 1 ? dy.offset() + n0 * g.k() * pq : 0;
                gemm.gemm(true, false, crs, cols, g.k(), 1f, ws, w.offset(), crs, grad, gradOff, cols, 0f, col, 0, cols);
                im2col.col2im(g, cnt, col, dxs, dx.offset(), n0);
            }
        } finally {
            scratch.giveBack(s);
        }
    }

    void backwardFilter(ConvGeometry g, CpuBuffer x, CpuBuffer dy, CpuBuffer dw) {
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int nb = sliceSize(g);
        float[] xs = x.array();
        float[] dys = dy.array();
        float[] dws = dw.array();
        ConvScratch s = scratch.take();
        try {
            float[] col = s.columns((long) crs * pq * nb);
            for (int n0 = 0; n0 < g.n(); n0 += nb) {
                int cnt = Math.min(nb, g.n() - n0);
                int cols = pq * cnt;
                lower(g, xs, x.offset(), n0, cnt, s, col);
                float[] grad = gradient(g, dys, dy.offset(), n0, cnt, s);
                int gradOff = cnt == 1 ? dy.offset() + n0 * g.k() * pq : 0;
                // slices are summed in batch order: the first overwrites dW, the others add to it
                gemm.gemm(false, true, g.k(), crs, cols, 1f, grad, gradOff, cols, col, 0, cols,
                        n0 == 0 ? 0f : 1f, dws, dw.offset(), crs);
            }
        } finally {
            scratch.giveBack(s);
        }
    }

    /** The column matrix of images {@code [n0, n0 + cnt)} of x. */
    private void lower(ConvGeometry g, float[] xs, int xOff, int n0, int cnt, ConvScratch s, float[] col) {
        int chw = g.c() * g.h() * g.w();
        if (cnt == 1) {
            im2col.im2col(g, 1, xs, xOff + n0 * chw, col);
        } else {
            float[] xt = s.inputs((long) chw * cnt);
            reorder.fromNchw(xs, xOff, n0, cnt, g.c(), g.h() * g.w(), xt);
            im2col.im2col(g, cnt, xt, 0, col);
        }
    }

    /** dY of images {@code [n0, n0 + cnt)} as the {@code [K][PQ*cnt]} matrix: dy itself for one image. */
    private float[] gradient(ConvGeometry g, float[] dys, int dyOff, int n0, int cnt, ConvScratch s) {
        if (cnt == 1) {
            return dys;
        }
        int pq = g.p() * g.q();
        float[] grad = s.outputs((long) g.k() * pq * cnt);
        reorder.fromNchw(dys, dyOff, n0, cnt, g.k(), pq, grad);
        return grad;
    }
}
