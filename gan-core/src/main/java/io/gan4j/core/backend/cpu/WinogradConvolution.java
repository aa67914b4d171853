package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.ConvGeometry;

/**
 * Stride-1 5x5 convolutions with padding 2 (output the size of the input) as Winograd's minimal filtering
 * algorithm F(2x2, 5x5) (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016): each
 * 2x2 block of outputs comes from a 6x6 block of input as {@code Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A}, 36
 * multiplications per input channel instead of 100. The element-wise products summed over the input
 * channels are 36 independent matrix products {@code M[ξ] = U[ξ] V[ξ]}, one per point ξ of the 6x6 block:
 * U the transformed weights ({@code [out channels][in channels]}), V the transformed input tiles
 * ({@code [in channels][tiles]}).
 *
 * <p>The forward pass and the backward-data pass of such a layer are convolutions of this kind (the latter with
 * the kernel turned by 180 degrees and the channel roles swapped); the weight gradient is the same algorithm's
 * gradient with respect to U ({@link #backwardFilter}). dcgan-mnist's transposed 256 -> 128 layer is one: at
 * batch 64 on two threads its three passes took 35-49 ms each against 63-67 ms with im2col + GEMM
 * (docs/bench/calibration/ConvLayers.java), and the whole dcgan-mnist convolution set 284 ms against 355
 * (docs/bench/pair/PairConv.java).
 *
 * <p>Within a slice of the batch, images are innermost ({@link BatchInner}), so every transform is the same
 * arithmetic over runs of consecutive floats, one per image: {@link WinogradTransforms} does them eight
 * images at a time on the Vector API. The kernel's transforms run the same way over blocks of input
 * channels.
 *
 * <p>The points are 0, 1, -1, 2, -2 and infinity: Bᵀ is then the integer matrix known from F(4x4, 3x3) and
 * the fractions go into G. The rounding error is about a hundred times that of a direct sum: 1-2e-6 of the sum
 * of the magnitudes of the products in a float32 simulation; the tests hold it to 1e-5.
 *
 * <p>Every output element is computed by one task in a fixed order, and each of the 36 products runs on one
 * thread, so results are identical for every thread count.
 */
final class WinogradConvolution {
    /** Points of the 6x6 input block (and of the transformed tiles). */
    private static final int ALPHA = 6;
    private static final int POINTS = ALPHA * ALPHA;
    /** Input channels per block of the kernel's transforms: the block's taps and half-transformed taps stay in L1. */
    private static final int KERNEL_BLOCK = 64;

    private final Parallel parallel;
    /** Most floats of transformed tiles (or of products) per slice of the batch. */
    private final long sliceLimit;
    /** The 36 products run in parallel with each other, each on one thread. */
    private final CpuGemm serialGemm;
    private final BatchInner reorder;
    private final WinogradTransforms transforms = VectorSupport.winogradTransforms();
    private final ConvScratch.Cache scratch = new ConvScratch.Cache();

    WinogradConvolution(Parallel parallel, GemmKernel kernel) {
        this(parallel, kernel, CpuConvolution.COLUMN_LIMIT);
    }

    /** With another limit than {@link CpuConvolution#COLUMN_LIMIT} on a slice's tiles (tests reach the slices). */
    WinogradConvolution(Parallel parallel, GemmKernel kernel, long sliceLimit) {
        this.parallel = parallel;
        this.sliceLimit = sliceLimit;
        this.serialGemm = new CpuGemm(new Parallel(1), kernel);
        this.reorder = new BatchInner(parallel);
    }

    /**
     * Whether {@code g} is a convolution this class computes: a 5x5 kernel, stride 1, padding 2, and the
     * transformed tiles of one image within {@link CpuConvolution#COLUMN_LIMIT}.
     */
    static boolean applies(ConvGeometry g) {
        return g.r() == 5 && g.s() == 5 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 2 && g.padW() == 2
                && (long) POINTS * Math.max(g.c(), g.k()) * tiles(g.h(), g.w()) <= CpuConvolution.COLUMN_LIMIT;
    }

    /** {@code y = conv2d(x, w)} for a geometry that {@link #applies}. */
    void forward(ConvGeometry g, CpuBuffer x, CpuBuffer w, CpuBuffer y) {
        run(g.n(), g.c(), g.k(), g.h(), g.w(), x, w, false, y);
    }

    /** {@code dx = conv2d_backward_data(dy, w)}: the convolution of dy with the turned kernel, k -> c channels. */
    void backwardData(ConvGeometry g, CpuBuffer dy, CpuBuffer w, CpuBuffer dx) {
        run(g.n(), g.k(), g.c(), g.h(), g.w(), dy, w, true, dx);
    }

    /**
     * {@code dw = conv2d_backward_filter(x, dy)}: the gradient of the forward algorithm with respect to U,
     * {@code dU[ξ] = dM[ξ] V[ξ]ᵀ} summed over tiles and images, with {@code dM = A dY Aᵀ} the output-gradient
     * tiles brought to the 36 points, then taken back to the kernel, {@code dw = Gᵀ dU G}. Slices of the batch
     * add into dU in batch order.
     */
    void backwardFilter(ConvGeometry g, CpuBuffer x, CpuBuffer dy, CpuBuffer dw) {
        int n = g.n();
        int cin = g.c();
        int cout = g.k();
        int h = g.h();
        int wd = g.w();
        int perImage = tiles(h, wd);
        int plane = h * wd;
        int images = imagesPerSlice(n, cin, cout, perImage);
        ConvScratch s = scratch.take();
        try {
            float[] du = s.transformedWeights((long) POINTS * slab(cout * cin));
            for (int n0 = 0; n0 < n; n0 += images) {
                int cnt = Math.min(images, n - n0);
                int t = cnt * perImage;
                int ld = slab(t);
                float[] xt = s.inputs((long) Math.max(cin, cout) * plane * cnt);
                reorder.fromNchw(x.array(), x.offset(), n0, cnt, cin, plane, xt);
                float[] v = s.tiles((long) POINTS * slab(cin * ld));
                transformInput(cnt, cin, h, wd, ld, xt, v);
                reorder.fromNchw(dy.array(), dy.offset(), n0, cnt, cout, plane, xt);
                float[] m = s.products((long) POINTS * slab(cout * ld));
                transformOutputGradient(cnt, cout, h, wd, ld, xt, m);
                float beta = n0 == 0 ? 0f : 1f;
                parallel.forRange(POINTS, 1, (from, to) -> {
                    for (int xi = from; xi < to; xi++) {
                        serialGemm.gemm(false, true, cout, cin, t, 1f, m, xi * slab(cout * ld), ld,
                                v, xi * slab(cin * ld), ld, beta, du, xi * slab(cout * cin), cin);
                    }
                });
            }
            transformWeightGradient(cin, cout, du, dw.array(), dw.offset());
        } finally {
            scratch.giveBack(s);
        }
    }

    private static int tiles(int h, int w) {
        return ((h + 1) / 2) * ((w + 1) / 2);
    }

    /**
     * Floats between the matrices of two points ξ: the matrix's size rounded up to an odd number of cache
     * lines. A transform reads or writes all 36 matrices at once, and at a power-of-two distance (a 256 x 1024
     * matrix is 1 MiB) all 36 streams fall into the same cache set and evict each other.
     */
    private static int slab(int size) {
        int lines = (size + 15) / 16;
        return (lines | 1) * 16;
    }

    /** Images per slice of the batch: as many as keep the tiles and products within the limit, at least one. */
    private int imagesPerSlice(int n, int cin, int cout, int perImage) {
        return (int) Math.max(1, Math.min(n, sliceLimit / ((long) POINTS * Math.max(cin, cout) * perImage)));
    }

    /**
     * {@code out[n][o] = sum_i corr(in[n][i], kernel(o, i))} with padding 2, where kernel(o, i) is
     * {@code w[o][i]} or, when {@code turned}, {@code w[i][o]} rotated by 180 degrees. Tile {@code t} of image
     * {@code j} of a slice is column {@code t * cnt + j} of the products.
     */
    private void run(int n, int cin, int cout, int h, int wd, CpuBuffer in, CpuBuffer w, boolean turned,
                     CpuBuffer out) {
        int perImage = tiles(h, wd);
        int plane = h * wd;
        int images = imagesPerSlice(n, cin, cout, perImage);
        ConvScratch s = scratch.take();
        try {
            float[] u = s.transformedWeights((long) POINTS * slab(cout * cin));
            transformWeights(cin, cout, w.array(), w.offset(), turned, u);
            for (int n0 = 0; n0 < n; n0 += images) {
                int cnt = Math.min(images, n - n0);
                int t = cnt * perImage;
                float[] xt = s.inputs((long) cin * plane * cnt);
                reorder.fromNchw(in.array(), in.offset(), n0, cnt, cin, plane, xt);
                int ld = slab(t);
                float[] v = s.tiles((long) POINTS * slab(cin * ld));
                transformInput(cnt, cin, h, wd, ld, xt, v);
                float[] m = s.products((long) POINTS * slab(cout * ld));
                parallel.forRange(POINTS, 1, (from, to) -> {
                    for (int xi = from; xi < to; xi++) {
                        serialGemm.gemm(false, false, cout, t, cin, 1f, u, xi * slab(cout * cin), cin,
                                v, xi * slab(cin * ld), ld, 0f, m, xi * slab(cout * ld), ld);
                    }
                });
                float[] ot = s.outputs((long) cout * plane * cnt);
                transformOutput(cnt, cout, h, wd, ld, m, ot);
                reorder.toNchw(ot, cnt, cout, plane, out.array(), out.offset(), n0);
            }
        } finally {
            scratch.giveBack(s);
        }
    }

    /**
     * U[ξ][o][i] = (G k Gᵀ)[ξ] for every kernel k = kernel(o, i): for each o, blocks of input channels are
     * gathered tap-major, so that each transform runs over the block (eight channels at a time on the Vector API)
     * and writes runs of consecutive i.
     */
    private void transformWeights(int cin, int cout, float[] w, int wOff, boolean turned, float[] u) {
        int slab = slab(cout * cin);
        int block = Math.min(cin, KERNEL_BLOCK);
        parallel.forRange(cout, Math.max(1, 256 / cin), (from, to) -> {
            float[] k = new float[25 * block];
            float[] t = new float[ALPHA * 5 * block];
            for (int o = from; o < to; o++) {
                for (int i0 = 0; i0 < cin; i0 += block) {
                    int cnt = Math.min(block, cin - i0);
                    for (int ii = 0; ii < cnt; ii++) {
                        int i = i0 + ii;
                        if (turned) {
                            int base = wOff + (i * cout + o) * 25 + 24;
                            for (int j = 0; j < 25; j++) {
                                k[j * cnt + ii] = w[base - j];
                            }
                        } else {
                            int base = wOff + (o * cin + i) * 25;
                            for (int j = 0; j < 25; j++) {
                                k[j * cnt + ii] = w[base + j];
                            }
                        }
                    }
                    for (int col = 0; col < 5; col++) {
                        transforms.kernel(k, col * cnt, 5 * cnt, t, col * cnt, 5 * cnt, cnt);
                    }
                    for (int row = 0; row < ALPHA; row++) {
                        transforms.kernel(t, row * 5 * cnt, cnt, u, row * ALPHA * slab + o * cin + i0, slab, cnt);
                    }
                }
            }
        });
    }

    /**
     * V[ξ][i][t * cnt + j] = (Bᵀ d B)[ξ], d the 6x6 input block of tile t of image j in channel i; xt is
     * {@code [cin][h][wd][cnt]}.
     */
    private void transformInput(int cnt, int cin, int h, int wd, int ld, float[] xt, float[] v) {
        int th = (h + 1) / 2;
        int tw = (wd + 1) / 2;
        int t = cnt * th * tw;
        int slab = slab(cin * ld);
        int run = ALPHA * cnt;
        // a channel at a time in a copy with a border of zeros (2, and 3 at the bottom and right of odd sizes)
        int ph = 2 * th + 4;
        int pw = 2 * tw + 4;
        parallel.forRange(cin, Math.max(1, 1024 / (POINTS * t)), (from, to) -> {
            float[] p = new float[ph * pw * cnt];
            float[] b = new float[POINTS * cnt];
            for (int ch = from; ch < to; ch++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(xt, (ch * h + y) * wd * cnt, p, ((y + 2) * pw + 2) * cnt, wd * cnt);
                }
                for (int ty = 0; ty < th; ty++) {
                    for (int tx = 0; tx < tw; tx++) {
                        int corner = (2 * ty * pw + 2 * tx) * cnt;
                        for (int c = 0; c < ALPHA; c++) {
                            transforms.input(p, corner + c * cnt, pw * cnt, b, c * cnt, run, cnt);
                        }
                        int dst = ch * ld + (ty * tw + tx) * cnt;
                        for (int r = 0; r < ALPHA; r++) {
                            transforms.input(b, r * run, cnt, v, r * ALPHA * slab + dst, slab, cnt);
                        }
                    }
                }
            }
        });
    }

    /** ot[o][y][x][j] = (Aᵀ m A), m the 36 products of the tile of (y, x) in image j, clipped at odd edges. */
    private void transformOutput(int cnt, int cout, int h, int wd, int ld, float[] m, float[] ot) {
        int th = (h + 1) / 2;
        int tw = (wd + 1) / 2;
        int t = cnt * th * tw;
        int slab = slab(cout * ld);
        int run = ALPHA * cnt;
        parallel.forRange(cout, Math.max(1, 1024 / (POINTS * t)), (from, to) -> {
            float[] b = new float[2 * ALPHA * cnt];
            float[] y = new float[4 * cnt];
            for (int ch = from; ch < to; ch++) {
                for (int ty = 0; ty < th; ty++) {
                    for (int tx = 0; tx < tw; tx++) {
                        int src = ch * ld + (ty * tw + tx) * cnt;
                        for (int c = 0; c < ALPHA; c++) {
                            transforms.output(m, c * slab + src, ALPHA * slab, b, c * cnt, run, cnt);
                        }
                        transforms.output(b, 0, cnt, y, 0, cnt, cnt);
                        transforms.output(b, run, cnt, y, 2 * cnt, cnt, cnt);
                        for (int r = 0; r < 2; r++) {
                            int oy = 2 * ty + r;
                            for (int c = 0; c < 2; c++) {
                                int ox = 2 * tx + c;
                                if (oy < h && ox < wd) {
                                    System.arraycopy(y, (2 * r + c) * cnt, ot, ((ch * h + oy) * wd + ox) * cnt, cnt);
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * dM[ξ][o][t * cnt + j] = (A dY Aᵀ)[ξ], dY the 2x2 block of output gradients of tile t of image j (zeros
     * past odd edges); yt is {@code [cout][h][wd][cnt]}.
     */
    private void transformOutputGradient(int cnt, int cout, int h, int wd, int ld, float[] yt, float[] m) {
        int th = (h + 1) / 2;
        int tw = (wd + 1) / 2;
        int t = cnt * th * tw;
        int slab = slab(cout * ld);
        parallel.forRange(cout, Math.max(1, 1024 / (POINTS * t)), (from, to) -> {
            float[] d = new float[4 * cnt];
            float[] b = new float[2 * ALPHA * cnt];
            for (int ch = from; ch < to; ch++) {
                for (int ty = 0; ty < th; ty++) {
                    for (int tx = 0; tx < tw; tx++) {
                        for (int r = 0; r < 2; r++) {
                            int y = 2 * ty + r;
                            for (int c = 0; c < 2; c++) {
                                int x = 2 * tx + c;
                                int at = (2 * r + c) * cnt;
                                if (y < h && x < wd) {
                                    System.arraycopy(yt, ((ch * h + y) * wd + x) * cnt, d, at, cnt);
                                } else {
                                    java.util.Arrays.fill(d, at, at + cnt, 0f);
                                }
                            }
                        }
                        // columns: b[u][c] = (A dY)[u][c], then rows: dM[u][v] = (b A^T)[u][v]
                        for (int c = 0; c < 2; c++) {
                            transforms.outputGradient(d, c * cnt, 2 * cnt, b, c * cnt, 2 * cnt, cnt);
                        }
                        int dst = ch * ld + (ty * tw + tx) * cnt;
                        for (int u = 0; u < ALPHA; u++) {
                            transforms.outputGradient(b, u * 2 * cnt, cnt, m, u * ALPHA * slab + dst, slab, cnt);
                        }
                    }
                }
            }
        });
    }

    /**
     * dw[o][i] = Gᵀ dU[·][o][i] G, the gradient of {@link #transformWeights} (not turned): blocks of input
     * channels as there, scattered back to the kernel's layout at the end.
     */
    private void transformWeightGradient(int cin, int cout, float[] du, float[] dw, int dwOff) {
        int slab = slab(cout * cin);
        int block = Math.min(cin, KERNEL_BLOCK);
        parallel.forRange(cout, Math.max(1, 256 / cin), (from, to) -> {
            float[] b = new float[5 * ALPHA * block];
            float[] k = new float[25 * block];
            for (int o = from; o < to; o++) {
                for (int i0 = 0; i0 < cin; i0 += block) {
                    int cnt = Math.min(block, cin - i0);
                    for (int c = 0; c < ALPHA; c++) {
                        transforms.kernelGradient(du, c * slab + o * cin + i0, ALPHA * slab, b, c * cnt, ALPHA * cnt,
                                cnt);
                    }
                    for (int r = 0; r < 5; r++) {
                        transforms.kernelGradient(b, r * ALPHA * cnt, cnt, k, r * 5 * cnt, cnt, cnt);
                    }
                    for (int ii = 0; ii < cnt; ii++) {
                        int base = dwOff + (o * cin + i0 + ii) * 25;
                        for (int j = 0; j < 25; j++) {
                            dw[base + j] = k[j * cnt + ii];
                        }
                    }
                }
            }
        });
    }
}
