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
 * than the few dozen pixels of one small feature map. The forward and weight-gradient products do not write the
 * column matrix out: the GEMM packs its slivers straight from the images ({@link ColumnPanels}), the weight
 * gradient's as {@code dW' = dY · patches} with the taps in (r, s, c) order, put back in (c, r, s) order after.
 * Within a slice, tensors are held batch innermost ({@link BatchInner}), which makes im2col and col2im runs of
 * array copies (see {@link Im2col}); a slice of one image needs no reordering at all.
 *
 * <p>Layers with few weights (the 1-channel ends of dcgan-mnist: K x CRS = 64 x 25) make a thin GEMM that
 * cannot keep the cores busy; they run batch-parallel instead ({@link #grouped}): a fixed number of groups
 * of images, each lowered and multiplied by one task with single-threaded GEMMs, the weight gradient
 * summed over the groups in group order.
 *
 * <p>Stride-1 5x5 layers with padding 2 (not the grouped ones) compute all three passes with
 * {@link WinogradConvolution} instead, when it is switched on.
 *
 * <p>Slices and groups depend only on the geometry, every output element is written by one task, partial
 * sums are added in a fixed order, and the GEMM is deterministic, so results are identical for every
 * thread count. Scratch matrices are kept between calls ({@link ConvScratch}); nothing is allocated per
 * element.
 */
final class CpuConvolution {
    /**
     * Largest column matrix of one slice, in floats (64 MiB): the whole batch of every dcgan-mnist layer
     * (at most 10M floats) is one slice, so the GEMM's N is the batch times the feature map. Measured: a
     * 4M-float limit (three slices for the 256-channel layer) made the dcgan-mnist set about 10 % slower,
     * 1M floats 35 % slower.
     */
    static final long COLUMN_LIMIT = 16L << 20;
    /**
     * Below this many weights ({@code K * CRS}) the GEMM of the whole batch is a thin product (few tiles
     * of C, a long k loop or a short one) that cannot keep two cores busy, and its per-k-block forks
     * dominate: such layers instead run {@link #GROUPS} groups of images in parallel, each group with its
     * own single-threaded GEMMs.
     */
    static final long GROUPED_WEIGHTS = 1 << 15;
    /** Groups of images of the batch-parallel path: a constant, so that sums do not depend on the thread count. */
    static final int GROUPS = 8;
    /**
     * Shortest run of the images that B is packed from directly ({@link ColumnPanels}); with shorter ones (the
     * 1-channel layers of dcgan-mnist in their groups of two images: runs of 2 and 5 floats) the column matrix,
     * whose rows are packed as runs of a whole sliver, was faster (0.30-0.37 against 0.39-0.43 ms per pass).
     */
    static final int MIN_RUN = 8;

    private final Parallel parallel;
    private final CpuGemm gemm;
    private final Im2col im2col;
    private final BatchInner reorder;
    private final ConvScratch.Cache scratch = new ConvScratch.Cache();
    /** Null when switched off. */
    private final WinogradConvolution winograd;

    CpuConvolution(Parallel parallel, CpuGemm gemm, boolean winograd) {
        this.parallel = parallel;
        this.gemm = gemm;
        this.im2col = new Im2col(parallel);
        this.reorder = new BatchInner(parallel);
        this.winograd = winograd ? new WinogradConvolution(parallel, gemm.kernel()) : null;
    }

    /** Whether the three passes of {@code g} go to {@link WinogradConvolution}. */
    boolean usesWinograd(ConvGeometry g) {
        return winograd != null && WinogradConvolution.applies(g) && !grouped(g);
    }

    /** Images per slice: the fewest slices whose column matrices fit the limit, all of about the same size. */
    static int sliceSize(ConvGeometry g) {
        long perImage = (long) g.c() * g.r() * g.s() * g.p() * g.q();
        int most = (int) Math.max(1, Math.min(g.n(), COLUMN_LIMIT / perImage));
        int slices = (g.n() + most - 1) / most;
        return (g.n() + slices - 1) / slices;
    }

    /** Whether the batch is split into {@link #GROUPS} groups processed in parallel (see {@link #GROUPED_WEIGHTS}). */
    static boolean grouped(ConvGeometry g) {
        return g.n() > 1 && g.weightSize() < GROUPED_WEIGHTS && parallelGroupsFit(g);
    }

    private static boolean parallelGroupsFit(ConvGeometry g) {
        long perImage = (long) g.c() * g.r() * g.s() * g.p() * g.q();
        return perImage * groupSize(g) <= COLUMN_LIMIT / 4;
    }

    /** Images per group of the grouped path. */
    static int groupSize(ConvGeometry g) {
        int groups = Math.min(GROUPS, g.n());
        return (g.n() + groups - 1) / groups;
    }

    void forward(ConvGeometry g, CpuBuffer x, CpuBuffer w, CpuBuffer y) {
        if (usesWinograd(g)) {
            winograd.forward(g, x, w, y);
            return;
        }
        ConvScratch s = scratch.take();
        try {
            if (grouped(g)) {
                int gs = groupSize(g);
                int groups = (g.n() + gs - 1) / gs;
                s.prepareGroups(groups);
                parallel.forRange(groups, 1, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        int n0 = i * gs;
                        forwardSlice(g, x, w, y, n0, Math.min(gs, g.n() - n0), s.group(i));
                    }
                });
            } else {
                int nb = sliceSize(g);
                for (int n0 = 0; n0 < g.n(); n0 += nb) {
                    forwardSlice(g, x, w, y, n0, Math.min(nb, g.n() - n0), s);
                }
            }
        } finally {
            scratch.giveBack(s);
        }
    }

    private void forwardSlice(ConvGeometry g, CpuBuffer x, CpuBuffer w, CpuBuffer y, int n0, int cnt, ConvScratch s) {
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int cols = pq * cnt;
        float[] out = cnt == 1 ? y.array() : s.outputs((long) g.k() * cols);
        int outOff = cnt == 1 ? y.offset() + n0 * g.k() * pq : 0;   // [K][PQ] of one image is already NCHW
        float[] xt = batchInner(g, x, n0, cnt, s);
        int xtOff = batchInnerOffset(g, x, n0, cnt);
        if (g.k() > 1 && cols > 1 && (g.strideW() == 1 ? g.q() : 1) * cnt >= MIN_RUN) {
            // B packed straight from the images: the same values in the same slivers as from the column matrix
            gemm.gemm(false, g.k(), cols, crs, 1f, w.array(), w.offset(), crs, ColumnPanels.columns(g, cnt, xt, xtOff),
                    0f, out, outOff, cols);
        } else {
            // a row or a column of C (the GEMM's vector products read the column matrix), or runs too short
            float[] col = s.columns((long) crs * cols);
            im2col.im2col(g, cnt, xt, xtOff, col);
            gemm.gemm(false, false, g.k(), cols, crs, 1f, w.array(), w.offset(), crs, col, 0, cols,
                    0f, out, outOff, cols);
        }
        if (cnt > 1) {
            reorder.toNchw(out, cnt, g.k(), pq, y.array(), y.offset(), n0);
        }
    }

    void backwardData(ConvGeometry g, CpuBuffer dy, CpuBuffer w, CpuBuffer dx) {
        if (usesWinograd(g)) {
            winograd.backwardData(g, dy, w, dx);
            return;
        }
        ConvScratch s = scratch.take();
        try {
            if (grouped(g)) {
                int gs = groupSize(g);
                int groups = (g.n() + gs - 1) / gs;
                s.prepareGroups(groups);
                parallel.forRange(groups, 1, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        int n0 = i * gs;
                        backwardDataSlice(g, dy, w, dx, n0, Math.min(gs, g.n() - n0), s.group(i));
                    }
                });
            } else {
                int nb = sliceSize(g);
                for (int n0 = 0; n0 < g.n(); n0 += nb) {
                    backwardDataSlice(g, dy, w, dx, n0, Math.min(nb, g.n() - n0), s);
                }
            }
        } finally {
            scratch.giveBack(s);
        }
    }

    private void backwardDataSlice(ConvGeometry g, CpuBuffer dy, CpuBuffer w, CpuBuffer dx, int n0, int cnt,
                                   ConvScratch s) {
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int cols = pq * cnt;
        float[] col = s.columns((long) crs * cols);
        float[] grad = gradient(g, dy.array(), dy.offset(), n0, cnt, s);
        int gradOff = cnt == 1 ? dy.offset() + n0 * g.k() * pq : 0;
        gemm.gemm(true, false, crs, cols, g.k(), 1f, w.array(), w.offset(), crs, grad, gradOff, cols, 0f, col, 0, cols);
        im2col.col2im(g, cnt, col, dx.array(), dx.offset(), n0);
    }

    void backwardFilter(ConvGeometry g, CpuBuffer x, CpuBuffer dy, CpuBuffer dw) {
        if (usesWinograd(g)) {
            winograd.backwardFilter(g, x, dy, dw);
            return;
        }
        ConvScratch s = scratch.take();
        try {
            if (grouped(g)) {
                // each group's dW into its own scratch, then the partial sums added in group order
                int gs = groupSize(g);
                int groups = (g.n() + gs - 1) / gs;
                s.prepareGroups(groups);
                int size = (int) g.weightSize();
                parallel.forRange(groups, 1, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        int n0 = i * gs;
                        ConvScratch gsc = s.group(i);
                        backwardFilterSlice(g, x, dy, gsc.partial(size), 0, 0f, n0, Math.min(gs, g.n() - n0), gsc);
                    }
                });
                float[] out = dw.array();
                int off = dw.offset();
                float[] first = s.group(0).partial(size);
                System.arraycopy(first, 0, out, off, size);
                for (int i = 1; i < groups; i++) {
                    float[] part = s.group(i).partial(size);
                    for (int j = 0; j < size; j++) {
                        out[off + j] += part[j];
                    }
                }
            } else {
                int nb = sliceSize(g);
                for (int n0 = 0; n0 < g.n(); n0 += nb) {
                    // slices are summed in batch order: the first overwrites dW, the others add to it
                    backwardFilterSlice(g, x, dy, dw.array(), dw.offset(), n0 == 0 ? 0f : 1f,
                            n0, Math.min(nb, g.n() - n0), s);
                }
            }
        } finally {
            scratch.giveBack(s);
        }
    }

    private void backwardFilterSlice(ConvGeometry g, CpuBuffer x, CpuBuffer dy, float[] dws, int dwOff, float beta,
                                     int n0, int cnt, ConvScratch s) {
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int cols = pq * cnt;
        float[] grad = gradient(g, dy.array(), dy.offset(), n0, cnt, s);
        int gradOff = cnt == 1 ? dy.offset() + n0 * g.k() * pq : 0;
        if (g.k() == 1 || crs == 1 || g.s() * g.c() < MIN_RUN) {
            // a row or a column of dW (the GEMM's vector products read the column matrix), or runs too short
            float[] col = s.columns((long) crs * cols);
            im2col.im2col(g, cnt, batchInner(g, x, n0, cnt, s), batchInnerOffset(g, x, n0, cnt), col);
            gemm.gemm(false, true, g.k(), crs, cols, 1f, grad, gradOff, cols, col, 0, cols, beta, dws, dwOff, crs);
            return;
        }
        // dW' = dY · B with the taps in (r, s, c) order, B packed from the images with the channels innermost
        // (ColumnPanels.patchesByPixel), then dW = dW' with its taps put back in (c, r, s) order. Every element
        // is the same chain of multiply-adds over the pixels as dY · colᵀ, so the bits are the same.
        int rs = g.r() * g.s();
        float[] dwt = s.tapsLast(g.k() * crs);
        if (beta != 0f) {
            for (int k = 0; k < g.k(); k++) {
                BatchInner.transpose(dws, dwOff + k * crs, rs, g.c(), rs, dwt, k * crs, g.c());
            }
        }
        int hw = g.h() * g.w();
        float[] xh = s.inputs((long) g.c() * hw * cnt);
        float[] xs = x.array();
        int xOff = x.offset() + n0 * g.c() * hw;
        parallel.forRange(cnt, 1, (from, to) -> {
            for (int nl = from; nl < to; nl++) {
                BatchInner.transpose(xs, xOff + nl * g.c() * hw, hw, g.c(), hw, xh, nl * hw * g.c(), g.c());
            }
        });
        gemm.gemm(false, g.k(), crs, cols, 1f, grad, gradOff, cols, ColumnPanels.patchesByPixel(g, cnt, xh, 0),
                beta, dwt, 0, crs);
        parallel.forRange(g.k(), Math.max(1, (1 << 14) / crs), (from, to) -> {
            for (int k = from; k < to; k++) {
                BatchInner.transpose(dwt, k * crs, g.c(), rs, g.c(), dws, dwOff + k * crs, rs);
            }
        });
    }

    /**
     * Images {@code [n0, n0 + cnt)} of x, batch innermost ({@link BatchInner}): x itself for one image (at
     * {@link #batchInnerOffset}), else reordered into the slice's scratch.
     */
    private float[] batchInner(ConvGeometry g, CpuBuffer x, int n0, int cnt, ConvScratch s) {
        if (cnt == 1) {
            return x.array();
        }
        int hw = g.h() * g.w();
        float[] xt = s.inputs((long) g.c() * hw * cnt);
        reorder.fromNchw(x.array(), x.offset(), n0, cnt, g.c(), hw, xt);
        return xt;
    }

    /** Where {@link #batchInner}'s images start. */
    private static int batchInnerOffset(ConvGeometry g, CpuBuffer x, int n0, int cnt) {
        return cnt == 1 ? x.offset() + n0 * g.c() * g.h() * g.w() : 0;
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
