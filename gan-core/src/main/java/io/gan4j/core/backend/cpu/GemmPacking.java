package io.gan4j.core.backend.cpu;

import static io.gan4j.core.backend.cpu.GemmKernel.MR;

/**
 * Copies blocks of op(A) and op(B) into the contiguous layouts the {@link GemmKernel} reads: A in
 * micro-panels of {@code MR} rows stored column by column, B in slivers of {@code nr} columns (the kernel's
 * {@link GemmKernel#nr()}) stored row by row. Panels at the edge are padded with zeros, so the kernel always
 * runs on full tiles.
 */
final class GemmPacking {
    private GemmPacking() {
    }

    /**
     * Packs rows {@code [i0, i0 + mr)} and depths {@code [p0, p0 + kc)} of op(A), multiplied by alpha (so the
     * kernel needs no multiply), as ceil(mr / MR) micro-panels of {@code MR * kc} floats from {@code dst[0]}.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mr, int p0, int kc,
                      float alpha, float[] dst) {
        packA(transA, a, aOff, lda, i0, mr, p0, kc, alpha, dst, 0);
    }

    /** {@link #packA} into {@code dst} from {@code dstOff}. */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mr, int p0, int kc,
                      float alpha, float[] dst, int dstOff) {
        for (int ip = 0; ip < mr; ip += MR) {
            int rows = Math.min(MR, mr - ip);
            int base = dstOff + (ip / MR) * MR * kc;
            if (transA) {
                // op(A)[i][p] = a[p * lda + i]: each depth gives MR neighbouring floats
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + ip;
                    int d = base + p * MR;
                    for (int i = 0; i < rows; i++) {
                        dst[d + i] = alpha * a[src + i];
                    }
                    for (int i = rows; i < MR; i++) {
                        dst[d + i] = 0f;
                    }
                }
            } else {
                // op(A)[i][p] = a[i * lda + p]: read each row sequentially, write with stride MR
                for (int i = 0; i < rows; i++) {
                    int src = aOff + (i0 + ip + i) * lda + p0;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * MR + i] = alpha * a[src + p];
                    }
                }
                for (int i = rows; i < MR; i++) {
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * MR + i] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs sliver {@code s} (columns {@code [j0 + s*nr, +nr)}, clipped to {@code n}) of depths
     * {@code [p0, p0 + kc)} of op(B) = Bᵀ into {@code dst[s * nr * kc ...]}: op(B)[p][j] = b[j * ldb + p], so each
     * row of B is read sequentially and written with stride nr. B not transposed goes through {@link #packBRows}.
     */
    static void packBTransposed(float[] b, int bOff, int ldb, int j0, int n, int s, int p0, int kc, float[] dst,
                                int nr) {
        int j = j0 + s * nr;
        int cols = Math.min(nr, n - j);
        int base = s * nr * kc;
        for (int jj = 0; jj < cols; jj++) {
            int src = bOff + (j + jj) * ldb + p0;
            for (int p = 0; p < kc; p++) {
                dst[base + p * nr + jj] = b[src + p];
            }
        }
        for (int jj = cols; jj < nr; jj++) {
            for (int p = 0; p < kc; p++) {
                dst[base + p * nr + jj] = 0f;
            }
        }
    }

    /**
     * Packs depths {@code [p0 + from, p0 + to)} of every sliver of columns {@code [j0, n)} of B (not
     * transposed) into slivers of depth {@code kc} from {@code dst[0]}, the layout of
     * {@link #packBTransposed}, reading B row by row. Sliver by sliver, each sliver would take one cache line
     * from each of kc rows, a strided walk the prefetchers follow badly: a single-thread 144 x 1024 x 256
     * product ran at 29-39 GFLOP/s that way and at 43-47 in this order.
     */
    static void packBRows(float[] b, int bOff, int ldb, int j0, int n, int p0, int from, int to, int kc,
                          float[] dst, int nr) {
        int full = (n - j0) / nr;
        int cols = n - j0 - full * nr;
        for (int p = from; p < to; p++) {
            int row = bOff + (p0 + p) * ldb + j0;
            for (int s = 0; s < full; s++) {
                System.arraycopy(b, row + s * nr, dst, s * nr * kc + p * nr, nr);
            }
            if (cols > 0) {
                int d = full * nr * kc + p * nr;
                System.arraycopy(b, row + full * nr, dst, d, cols);
                java.util.Arrays.fill(dst, d + cols, d + nr, 0f);
            }
        }
    }

    /**
     * Packs depths {@code [p0, p0 + kc)} of all slivers of columns {@code [j0, n)} of op(B) into {@code dst[0 ...]}:
     * row by row when B is not transposed, sliver by sliver when it is (each sliver then reads rows of B).
     */
    static void packBBlock(boolean transB, float[] b, int bOff, int ldb, int j0, int n, int p0, int kc,
                           float[] dst, int nr) {
        if (transB) {
            for (int s = 0, slivers = (n - j0 + nr - 1) / nr; s < slivers; s++) {
                packBTransposed(b, bOff, ldb, j0, n, s, p0, kc, dst, nr);
            }
        } else {
            packBRows(b, bOff, ldb, j0, n, p0, 0, kc, kc, dst, nr);
        }
    }
}
