package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.ConvGeometry;

/**
 * The column matrix of a convolution and its adjoint, for a slice of {@code cnt} images held batch
 * innermost ({@link BatchInner}): row {@code (c, r, s)}, column {@code (p, q, n)}, entry
 * {@code x[c][p*strideH - padH + r][q*strideW - padW + s][n]}, zero in the padding.
 *
 * <p>Since the batch is innermost, one output pixel's entries of a row are a run of {@code cnt}
 * contiguous floats in both the image and the matrix, and with stride 1 a whole row of output pixels is
 * one run: the loops move runs with array copies and vectorisable adds. For a kernel tap {@code r} the
 * output rows that read inside the image form one interval {@code [pLo[r], pHi[r])} (likewise
 * {@code q} for {@code s}), so the padding is written as whole zero runs (im2col) or never visited
 * (col2im), with no per-element bounds check.
 */
final class Im2col {
    /** Floats per parallel task at least, so that a task is worth its scheduling. */
    private static final int GRAIN = 1 << 14;

    private final Parallel parallel;
    /** For the adds of col2im: runs of a slice's images, a vector or two each at batch 16. */
    private final ElementwiseKernels kernels = VectorSupport.elementwiseKernels();

    Im2col(Parallel parallel) {
        this.parallel = parallel;
    }

    /** {@code col[CRS][PQ*cnt]} from the slice {@code xt[C][H][W][cnt]} at {@code xtOff}; every element written. */
    void im2col(ConvGeometry g, int cnt, float[] xt, int xtOff, float[] col) {
        Taps taps = new Taps(g);
        int cols = g.p() * g.q() * cnt;
        int runQ = g.q() * cnt;              // one output row of one kernel tap
        int rowLen = g.w() * cnt;            // one image row
        int sw = g.strideW();
        parallel.forRange(g.c() * g.r() * g.s(), Math.max(1, GRAIN / cols), (from, to) -> {
            for (int row = from; row < to; row++) {
                int s = row % g.s();
                int r = (row / g.s()) % g.r();
                int c = row / (g.s() * g.r());
                int q0 = taps.qLo[s];
                int q1 = taps.qHi[s];
                int p0 = taps.pLo[r];
                int p1 = q0 < q1 ? taps.pHi[r] : p0;   // no column inside the image: the row is all padding
                int dst = row * cols;
                zero(col, dst, dst + p0 * runQ);
                for (int p = p0; p < p1; p++) {
                    int d = dst + p * runQ;
                    int src = xtOff + (c * g.h() + p * g.strideH() - g.padH() + r) * rowLen
                            + (q0 * sw - g.padW() + s) * cnt;
                    zero(col, d, d + q0 * cnt);
                    if (sw == 1) {
                        System.arraycopy(xt, src, col, d + q0 * cnt, (q1 - q0) * cnt);
                    } else {
                        for (int q = q0; q < q1; q++) {
                            System.arraycopy(xt, src + (q - q0) * sw * cnt, col, d + q * cnt, cnt);
                        }
                    }
                    zero(col, d + q1 * cnt, d + runQ);
                }
                zero(col, dst + p1 * runQ, dst + cols);
            }
        });
    }

    /**
     * {@code dx} (NCHW) of images {@code [n0, n0 + cnt)} = for each pixel, the sum of the entries of
     * {@code col} that read it; every element written. One task owns each image row {@code (c, ih)} of
     * the whole slice, adds into it in the fixed order (r, s) and writes it out transposed back to NCHW, so
     * the sums do not depend on the thread count.
     */
    void col2im(ConvGeometry g, int cnt, float[] col, float[] dx, int dxOff, int n0) {
        Taps taps = new Taps(g);
        int cols = g.p() * g.q() * cnt;
        int rowLen = g.w() * cnt;
        int hw = g.h() * g.w();
        int sw = g.strideW();
        int perRow = Math.max(1, rowLen * g.r() * g.s() / Math.max(1, g.strideH() * sw));
        parallel.forRange(g.c() * g.h(), Math.max(1, GRAIN / perRow), (from, to) -> {
            float[] acc = new float[rowLen];
            for (int item = from; item < to; item++) {
                int c = item / g.h();
                int ih = item - c * g.h();
                java.util.Arrays.fill(acc, 0f);
                for (int r = 0; r < g.r(); r++) {
                    int t = ih + g.padH() - r;           // = p * strideH for the output row p that reads ih
                    int p = t / g.strideH();
                    if (t < 0 || p * g.strideH() != t || p >= g.p()) {
                        continue;
                    }
                    for (int s = 0; s < g.s(); s++) {
                        int q0 = taps.qLo[s];
                        int q1 = taps.qHi[s];
                        int src = ((c * g.r() + r) * g.s() + s) * cols + (p * g.q() + q0) * cnt;
                        int dst = (q0 * sw - g.padW() + s) * cnt;
                        if (sw == 1) {
                            kernels.addTo(col, src, acc, dst, (q1 - q0) * cnt);
                        } else {
                            for (int q = q0; q < q1; q++) {
                                kernels.addTo(col, src + (q - q0) * cnt, acc, dst + (q - q0) * sw * cnt, cnt);
                            }
                        }
                    }
                }
                for (int nl = 0; nl < cnt; nl++) {
                    int d = dxOff + ((n0 + nl) * g.c() + c) * hw + ih * g.w();
                    for (int iw = 0; iw < g.w(); iw++) {
                        dx[d + iw] = acc[iw * cnt + nl];
                    }
                }
            }
        });
    }

    private static void zero(float[] a, int from, int to) {
        if (from < to) {
            java.util.Arrays.fill(a, from, to, 0f);
        }
    }

    /** Per kernel tap, the interval of output rows / columns whose input position lies inside the image. */
    static final class Taps {
        final int[] pLo;
        final int[] pHi;
        final int[] qLo;
        final int[] qHi;

        Taps(ConvGeometry g) {
            pLo = new int[g.r()];
            pHi = new int[g.r()];
            for (int r = 0; r < g.r(); r++) {
                interval(r, g.padH(), g.strideH(), g.h(), g.p(), pLo, pHi);
            }
            qLo = new int[g.s()];
            qHi = new int[g.s()];
            for (int s = 0; s < g.s(); s++) {
                interval(s, g.padW(), g.strideW(), g.w(), g.q(), qLo, qHi);
            }
        }

        /** Outputs o in [0, out) with 0 <= o*stride - pad + tap < in; an empty interval has lo == hi. */
        private static void interval(int tap, int pad, int stride, int in, int out, int[] lo, int[] hi) {
            int first = -Math.floorDiv(tap - pad, stride);                  // ceil((pad - tap) / stride)
            int last = Math.floorDiv(in - 1 + pad - tap, stride) + 1;
            lo[tap] = Math.min(Math.max(0, first), out);
            hi[tap] = Math.max(lo[tap], Math.min(out, last));
        }
    }
}
