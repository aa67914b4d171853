package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.ConvGeometry;

import java.util.Arrays;

/**
 * B operands of a convolution's products packed straight from its input ({@link CpuGemm.PanelSource}): the column
 * matrix is never written out. A batch slice's column matrix is 25 times the size of its images (5 MB for a
 * dcgan-mnist layer at batch 16), so writing it and reading it back for packing went out to memory and back,
 * while the images stay in cache. Each sliver row is made of copies of the longest runs that are contiguous in
 * the source, or zero fills where they fall in the padding; the walk along a row keeps its position in counters,
 * as a division per run cost as much as the copy of a short run.
 */
final class ColumnPanels {
    /** Runs up to this long are copied element by element: System.arraycopy costs more for a few floats. */
    private static final int SHORT_RUN = 8;

    private ColumnPanels() {
    }

    /**
     * The column matrix {@code col[(c, r, s)][(p, q, n)]} of {@link Im2col} (the forward product's B): rows are
     * kernel taps, columns output pixels with the batch innermost, read from the slice {@code xt[C][H][W][cnt]}
     * (batch innermost, {@link BatchInner}) at {@code xtOff}.
     */
    static CpuGemm.PanelSource columns(ConvGeometry g, int cnt, float[] xt, int xtOff) {
        Im2col.Taps taps = new Im2col.Taps(g);
        int rowLen = g.q() * cnt;
        int plane = g.h() * g.w() * cnt;
        return (j0, j1, p0, kc, dst, nr) -> {
            SliverRow out = new SliverRow(dst, nr, kc);
            int firstRow = j0 / rowLen;
            int firstRem = j0 - firstRow * rowLen;
            for (int d = 0; d < kc; d++) {
                int row = p0 + d;
                int s = row % g.s();
                int r = (row / g.s()) % g.r();
                int base = xtOff + row / (g.s() * g.r()) * plane;
                int pLo = taps.pLo[r];
                int pHi = taps.pHi[r];
                int qLo = taps.qLo[s] * cnt;
                int qHi = taps.qHi[s] * cnt;
                // column j is output row op, position rem = q * cnt + n within it
                int op = firstRow;
                int rem = firstRem;
                out.start(d);
                for (int j = j0; j < j1; ) {
                    int len;
                    int src = -1;
                    if (op < pLo || op >= pHi || qLo >= qHi || rem >= qHi) {
                        len = rowLen - rem;                       // the rest of output row op reads padding
                    } else if (rem < qLo) {
                        len = qLo - rem;
                    } else {
                        int oq = rem / cnt;
                        int ih = op * g.strideH() - g.padH() + r;
                        int iw = oq * g.strideW() - g.padW() + s;
                        src = base + (ih * g.w() + iw) * cnt + rem - oq * cnt;
                        // with stride 1 the neighbouring output pixels' runs follow each other in xt
                        len = (g.strideW() == 1 ? qHi : (oq + 1) * cnt) - rem;
                    }
                    len = Math.min(len, j1 - j);
                    out.put(xt, src, len);
                    j += len;
                    rem += len;
                    if (rem == rowLen) {
                        op++;
                        rem = 0;
                    }
                }
                out.finish();
            }
        };
    }

    /**
     * The transposed column matrix with the taps in (r, s, c) order, {@code B[(p, q, n)][(r, s, c)]} (the weight
     * gradient's B when it is computed as {@code dW' = dY · B}, {@code dW'[k][(r, s, c)]}): rows are output pixels
     * with the batch innermost, as in {@link #columns}, read from the slice {@code xh[cnt][H][W][C]} (channels
     * innermost) at {@code xhOff}. For a pixel and a kernel row r, every valid (s, c) is one contiguous run of xh,
     * which is why the channels go innermost: with the column matrix itself the weight gradient's product had to
     * pack a transpose of it.
     */
    static CpuGemm.PanelSource patchesByPixel(ConvGeometry g, int cnt, float[] xh, int xhOff) {
        int c = g.c();
        int tapRow = g.s() * c;
        return (j0, j1, p0, kc, dst, nr) -> {
            SliverRow out = new SliverRow(dst, nr, kc);
            int firstR = j0 / tapRow;
            int firstRem = j0 - firstR * tapRow;
            for (int d = 0; d < kc; d++) {
                int pix = p0 + d;
                int n = pix % cnt;
                int pq = pix / cnt;
                int op = pq / g.q();
                int oq = pq - op * g.q();
                // the kernel columns s whose input column lies inside the image: [sLo, sHi), as runs of xh
                int w0 = oq * g.strideW() - g.padW();
                int lo = Math.max(0, -w0) * c;
                int hi = Math.min(g.s(), g.w() - w0) * c;
                int r = firstR;
                int rem = firstRem;
                out.start(d);
                for (int j = j0; j < j1; ) {
                    int ih = op * g.strideH() - g.padH() + r;
                    int len;
                    int src = -1;
                    if (ih < 0 || ih >= g.h() || lo >= hi || rem >= hi) {
                        len = tapRow - rem;                       // the rest of kernel row r reads padding
                    } else if (rem < lo) {
                        len = lo - rem;
                    } else {
                        src = xhOff + ((n * g.h() + ih) * g.w() + w0) * c + rem;
                        len = hi - rem;
                    }
                    len = Math.min(len, j1 - j);
                    out.put(xh, src, len);
                    j += len;
                    rem += len;
                    if (rem == tapRow) {
                        r++;
                        rem = 0;
                    }
                }
                out.finish();
            }
        };
    }

    /** The writes along row d of a block of slivers: its columns in order, from one sliver into the next. */
    private static final class SliverRow {
        private final float[] dst;
        private final int nr;
        private final int kc;
        private int at;
        private int within;

        SliverRow(float[] dst, int nr, int kc) {
            this.dst = dst;
            this.nr = nr;
            this.kc = kc;
        }

        void start(int d) {
            at = d * nr;
            within = 0;
        }

        /** The next {@code len} columns: {@code src[from ...]}, or zeros when from is negative. */
        void put(float[] src, int from, int len) {
            while (len > 0) {
                int piece = Math.min(len, nr - within);
                if (from < 0) {
                    Arrays.fill(dst, at, at + piece, 0f);
                } else if (piece <= SHORT_RUN) {
                    for (int t = 0; t < piece; t++) {
                        dst[at + t] = src[from + t];
                    }
                    from += piece;
                } else {
                    System.arraycopy(src, from, dst, at, piece);
                    from += piece;
                }
                len -= piece;
                at += piece;
                within += piece;
                if (within == nr) {
                    within = 0;
                    at += nr * kc - nr;                   // row d of the next sliver
                }
            }
        }

        /** Zeros in the last sliver's columns past the row's end, so that the kernel runs on whole slivers. */
        void finish() {
            if (within > 0) {
                Arrays.fill(dst, at, at + nr - within, 0f);
            }
        }
    }
}
