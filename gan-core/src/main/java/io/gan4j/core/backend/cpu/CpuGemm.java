package io.gan4j.core.backend.cpu;

import static io.gan4j.core.backend.cpu.GemmKernel.FROM_C;
import static io.gan4j.core.backend.cpu.GemmKernel.FROM_SCALED_C;
import static io.gan4j.core.backend.cpu.GemmKernel.FROM_ZERO;
import static io.gan4j.core.backend.cpu.GemmKernel.MR;

/**
 * Single-precision GEMM of the CPU backend, row-major: {@code C = alpha * op(A) op(B) + beta * C}.
 *
 * <p>On one thread (or a small product) the call is a serial GotoBLAS/BLIS GEMM: for each block of {@link #NC}
 * columns and {@link #KC} depths it packs op(B) into slivers (KC x nr, kept in L1 by the kernel), then for each
 * {@link #MC} rows packs op(A) into micro-panels (an MC x KC block stays in L2) and runs the register-blocked
 * {@link GemmKernel} over every tile. On several threads, all threads first pack the whole of op(A) and op(B) once
 * into shared buffers, then C is cut into a grid of rectangles, one task each, that run the blocked loops over the
 * shared packing, each tile through the whole depth before the next. A product costs two parallel loops (packing,
 * then the tasks) per depth chunk - one chunk unless the packed operands would pass {@link #SHARED_PACK_FLOATS} -
 * not one per k block, and no row or column is packed twice. When the grid is a single row of rectangles (a short,
 * wide C, as in the convolutions' forward and weight-gradient products) no two tasks read the same column of B, so
 * each task packs its own columns a k block at a time into its thread's buffer, which stays in L2, instead of all
 * of B being written out and read back (docs/bench/pair: median ratios 1.00-1.11 on those shapes, most of them
 * 1.04-1.10).
 *
 * <p>Determinism: every C element is the same chain of fused multiply-adds whatever the thread count and
 * grid - KC is a constant, each k block continues from what the previous one stored, and the grid only
 * decides which thread computes which tile - so results are bit-identical for 1, 2 or more threads.
 */
final class CpuGemm {
    /** Depth of a k block: a B sliver (KC x nr floats, 16 or 32 KiB) fits L1 with room for A and C. */
    static final int KC = 256;
    /** Rows of a packed A block (multiple of MR): MC x KC floats = 144 KiB, well inside a 512 KiB L2. */
    static final int MC = 144;
    /** Columns of a packed B block (multiple of nr): KC x NC floats = 4 MiB per thread, whatever n is. */
    static final int NC = 4096;
    /** Below this many flops a product runs on the calling thread: forking costs more than it saves. */
    private static final long PARALLEL_MIN_FLOPS = 1L << 21;
    /** Most floats of op(A) and op(B) a parallel product packs at once (64 MiB); a deeper one goes in chunks. */
    static final long SHARED_PACK_FLOATS = 16L << 20;
    /** Rows of B per packing task of the parallel product (B not transposed). */
    private static final int PACK_ROWS = 16;
    /** Tasks per thread, so that work stealing evens out uneven tasks and threads slowed by other load. */
    private static final int TASKS_PER_THREAD = 4;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private final Parallel parallel;
    private final GemmKernel kernel;
    /** The kernel's tile width: columns of a B sliver. */
    private final int nr;
    private final long sharedPackFloats;

    CpuGemm(Parallel parallel) {
        this(parallel, VectorSupport.gemmKernel());
    }

    CpuGemm(Parallel parallel, GemmKernel kernel) {
        this(parallel, kernel, SHARED_PACK_FLOATS);
    }

    /** With another packing limit than {@link #SHARED_PACK_FLOATS} (tests reach the depth chunks with it). */
    CpuGemm(Parallel parallel, GemmKernel kernel, long sharedPackFloats) {
        this.parallel = parallel;
        this.kernel = kernel;
        this.nr = kernel.nr();
        this.sharedPackFloats = sharedPackFloats;
    }

    GemmKernel kernel() {
        return kernel;
    }

    /**
     * Packs depths {@code [p0, p0 + kc)} of columns {@code [j0, j1)} of op(B) into slivers of {@code nr} columns
     * from {@code dst[0]}, each {@code kc x nr} floats stored row by row, zero past {@code j1}: the layout of
     * {@link GemmPacking#packBBlock}. A convolution packs its column matrix this way straight from the images,
     * without writing the matrix out ({@link ColumnPanels}).
     */
    @FunctionalInterface
    interface PanelSource {
        void pack(int j0, int j1, int p0, int kc, float[] dst, int nr);
    }

    /**
     * {@code C = alpha * op(A) B + beta * C} with B given by the slivers {@code b} packs, k blocks of {@link #KC}
     * at a time, each task packing its own columns (see {@link #shared}). Every C element is the same chain of
     * fused multiply-adds as in {@link #gemm(boolean, boolean, int, int, int, float, float[], int, int, float[],
     * int, int, float, float[], int, int) gemm} with B stored, where that one goes through the tiles (m and n
     * above 1); here a row or a column of C goes through the tiles too.
     */
    void gemm(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda, PanelSource b,
              float beta, float[] c, int cOff, int ldc) {
        if (!trivial(m, n, k, alpha, beta, c, cOff, ldc)) {
            products(transA, false, m, n, k, alpha, a, aOff, lda, null, 0, 0, b, beta, c, cOff, ldc);
        }
    }

    /** Does the products without a multiplication (C empty; or k or alpha 0, C = beta * C) and says whether it did. */
    private static boolean trivial(int m, int n, int k, float alpha, float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return true;
        }
        if (k <= 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return true;
        }
        return false;
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc) {
        if (trivial(m, n, k, alpha, beta, c, cOff, ldc)) {
            return;
        }
        boolean par = parallel.threads() > 1 && 2L * m * n * k >= PARALLEL_MIN_FLOPS;
        if (n == 1) {
            // C is a column: op(A) times the vector op(B)[:, 0]
            float[] x = b;
            int xOff = bOff;
            if (!transB && ldb != 1) {
                x = WORKSPACE.get().x(k);
                xOff = 0;
                for (int p = 0; p < k; p++) {
                    x[p] = b[bOff + p * ldb];
                }
            }
            gemv(transA, m, k, alpha, a, aOff, lda, x, xOff, beta, c, cOff, ldc, par);
            return;
        }
        if (m == 1) {
            // C is a row: C^T = op(B)^T op(A)^T, op(B)^T being B as stored when transB, B^T otherwise
            int incX = transA ? lda : 1;
            if (transB) {
                float[] x = a;
                int xOff = aOff;
                if (incX != 1) {
                    x = WORKSPACE.get().x(k);
                    xOff = 0;
                    for (int p = 0; p < k; p++) {
                        x[p] = a[aOff + p * incX];
                    }
                }
                gemv(false, n, k, alpha, b, bOff, ldb, x, xOff, beta, c, cOff, 1, par);
            } else {
                gemv(true, n, k, alpha, b, bOff, ldb, a, aOff, beta, c, cOff, 1, par, incX);
            }
            return;
        }
        PanelSource stored = (j0, j1, p0, kc, dst, width) ->
                GemmPacking.packBBlock(transB, b, bOff, ldb, j0, j1, p0, kc, dst, width);
        products(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, stored, beta, c, cOff, ldc);
    }

    /** The tiled product, serial or parallel; B is {@code b} as stored, or only {@code source} when b is null. */
    private void products(boolean transA, boolean transB, int m, int n, int k, float alpha,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb, PanelSource source,
                          float beta, float[] c, int cOff, int ldc) {
        boolean par = parallel.threads() > 1 && 2L * m * n * k >= PARALLEL_MIN_FLOPS;
        int panels = ceilDiv(m, MR);
        int slivers = ceilDiv(n, nr);
        int tasks = par ? (int) Math.min((long) panels * slivers, TASKS_PER_THREAD * parallel.threads()) : 1;
        if (tasks <= 1) {
            rectangle(transA, 0, m, 0, n, k, alpha, a, aOff, lda, source, beta, c, cOff, ldc);
        } else {
            shared(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, source, beta, c, cOff, ldc, tasks);
        }
    }

    /**
     * The parallel product: op(A) and op(B) are packed once, by all threads, into buffers that every task
     * reads (in chunks of depth where they would pass the packing limit); then each task of a grid over C
     * computes its rectangle from them (packing its own B when the grid is one row, see the class comment).
     * Packing per task instead repeats the packing of every row and column a task shares with others: for the
     * 128-row products of dcgan-mnist, 8 times for A.
     */
    private void shared(boolean transA, boolean transB, int m, int n, int k, float alpha,
                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb, PanelSource source,
                        float beta, float[] c, int cOff, int ldc, int tasks) {
        int panels = ceilDiv(m, MR);
        int slivers = ceilDiv(n, nr);
        long perDepth = (long) panels * MR + (long) slivers * nr;
        int chunk = perDepth * k <= sharedPackFloats ? k
                : (int) Math.max(KC, sharedPackFloats / perDepth / KC * KC);
        Workspace w = WORKSPACE.get();
        float[] ap = w.sharedA(panels * MR * Math.min(chunk, k));
        // B given only as a source: every task packs its own columns
        int rowChunks = b == null ? 1 : rowChunks(m, n, panels, slivers, tasks);
        int colChunks = Math.min(slivers, ceilDiv(tasks, rowChunks));
        // With one row chunk no two tasks share a column of B: each task packs its own columns, a k block at
        // a time, into a buffer that stays in its core's L2, instead of all of B going out to memory and back.
        boolean ownB = rowChunks == 1;
        float[] bp = ownB ? null : w.sharedB(slivers * nr * Math.min(chunk, k));
        for (int p0 = 0; p0 < k; p0 += chunk) {
            int depth = Math.min(chunk, k - p0);
            int from = p0;
            // B not transposed is packed by bands of rows (see GemmPacking.packBRows), transposed by slivers
            int bParts = ownB ? 0 : transB ? slivers : ceilDiv(depth, PACK_ROWS);
            parallel.forRange(panels + bParts, 1, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    if (i < panels) {
                        int rows = Math.min(MR, m - i * MR);
                        GemmPacking.packA(transA, a, aOff, lda, i * MR, rows, from, depth, alpha, ap, i * MR * depth);
                    } else if (transB) {
                        GemmPacking.packBTransposed(b, bOff, ldb, 0, n, i - panels, from, depth, bp, nr);
                    } else {
                        int r0 = (i - panels) * PACK_ROWS;
                        GemmPacking.packBRows(b, bOff, ldb, 0, n, from, r0, Math.min(depth, r0 + PACK_ROWS), depth,
                                bp, nr);
                    }
                }
            });
            parallel.forRange(rowChunks * colChunks, 1, (lo, hi) -> {
                for (int t = lo; t < hi; t++) {
                    int rc = t / colChunks;
                    int cc = t % colChunks;
                    int i0 = MR * (int) ((long) panels * rc / rowChunks);
                    int i1 = Math.min(m, MR * (int) ((long) panels * (rc + 1) / rowChunks));
                    int j0 = nr * (int) ((long) slivers * cc / colChunks);
                    int j1 = Math.min(n, nr * (int) ((long) slivers * (cc + 1) / colChunks));
                    if (ownB) {
                        ownColumns(i0, i1, j0, j1, from, depth, ap, source, beta, c, cOff, ldc);
                    } else {
                        packedRectangle(i0, i1, j0, j1, from, depth, ap, bp, beta, c, cOff, ldc);
                    }
                }
            });
        }
    }

    /**
     * C[i0:i1, j0:j1] over depths [p0, p0 + depth) from the shared packed buffers. Unlike {@link #rectangle},
     * which packs one k block at a time, every panel and sliver here holds the whole depth, so each tile runs
     * all its k blocks in a row and its C stays in L1 between them. Taking the k blocks outermost instead
     * stores and reloads all of C once per k block, and on this project's VM those reloads come from L3 or
     * memory: SGEMM 1024^3 on two threads ran 7-15 % faster this way (docs/bench/pair, median ratios). Fewer
     * rows per block for a deep product keep its full-depth panels of A in L2.
     */
    private void packedRectangle(int i0, int i1, int j0, int j1, int p0, int depth, float[] ap, float[] bp,
                                 float beta, float[] c, int cOff, int ldc) {
        float[] tile = WORKSPACE.get().tile(MR * nr);
        int rows = Math.max(MR, Math.min(MC, MC * KC / depth / MR * MR));
        for (int ic = i0; ic < i1; ic += rows) {
            // the panel of row i starts at i * depth, the sliver of column j at j * depth
            block(depth, Math.min(rows, i1 - ic), j1 - j0, ap, ic * depth, MR * depth,
                    bp, j0 * depth, nr * depth, c, cOff + ic * ldc + j0, ldc, p0, beta, tile);
        }
    }

    /**
     * C[i0:i1, j0:j1] over depths [p0, p0 + depth) from the shared packed A and the task's own columns of B,
     * packed one k block at a time into this thread's buffer.
     */
    private void ownColumns(int i0, int i1, int j0, int j1, int p0, int depth, float[] ap, PanelSource source,
                            float beta, float[] c, int cOff, int ldc) {
        Workspace w = WORKSPACE.get();
        int slivers = ceilDiv(j1 - j0, nr);
        for (int pc = 0; pc < depth; pc += KC) {
            int kc = Math.min(KC, depth - pc);
            float[] bp = w.b(slivers * nr * kc);
            source.pack(j0, j1, p0 + pc, kc, bp, nr);
            for (int ic = i0; ic < i1; ic += MC) {
                block(kc, Math.min(MC, i1 - ic), j1 - j0, ap, ic * depth + pc * MR, MR * depth,
                        bp, 0, nr * kc, c, cOff + ic * ldc + j0, ldc, p0 + pc, beta, w.tile(MR * nr));
            }
        }
    }

    private void gemv(boolean transM, int len, int k, float alpha, float[] m, int mOff, int ldm, float[] x, int xOff,
                      float beta, float[] y, int yOff, int incY, boolean par) {
        gemv(transM, len, k, alpha, m, mOff, ldm, x, xOff, beta, y, yOff, incY, par, 1);
    }

    /**
     * {@code y = alpha * op(M) x + beta * y} with op(M) len x k: dot products of M's rows, or (transM, M stored
     * k x len) a combination of M's rows; split over the outputs in chunks of at least 64 Ki multiply-adds.
     */
    private void gemv(boolean transM, int len, int k, float alpha, float[] m, int mOff, int ldm, float[] x, int xOff,
                      float beta, float[] y, int yOff, int incY, boolean par, int incX) {
        Parallel.Range body = transM
                ? (from, to) -> Gemv.rowCombination(kernel, from, to, k, alpha, m, mOff, ldm, x, xOff, incX, beta,
                        y, yOff, incY, WORKSPACE.get().acc(to - from))
                : (from, to) -> Gemv.rowDots(kernel, from, to, k, alpha, m, mOff, ldm, x, xOff, beta, y, yOff, incY);
        if (par) {
            parallel.forRange(len, Math.max(1, (1 << 16) / k), body);
        } else {
            body.run(0, len);
        }
    }

    /**
     * Rows of the task grid. Each task streams its rows of packed A once per column chunk and its columns of
     * packed B once per row chunk, so the grid with at least {@code tasks} cells that reads least -
     * m * colChunks + n * rowChunks floats per depth - is taken: a wide C is cut into columns, a tall one into
     * rows, a square one into both.
     */
    private static int rowChunks(int m, int n, int panels, int slivers, int tasks) {
        int maxRows = Math.min(tasks, panels);
        int best = maxRows;
        long bestCost = Long.MAX_VALUE;
        for (int rc = 1; rc <= maxRows; rc++) {
            int cc = Math.min(slivers, ceilDiv(tasks, rc));
            // a grid of exactly `tasks` cells splits evenly over the threads; a larger one only if none fits
            long cost = (long) m * cc + (long) n * rc + (rc * cc == tasks ? 0 : Long.MAX_VALUE / 2);
            if ((long) rc * cc >= tasks && cost < bestCost) {
                bestCost = cost;
                best = rc;
            }
        }
        return best;
    }

    /** C[i0:i1, j0:j1], serially, with the blocked loops of the class comment. */
    private void rectangle(boolean transA, int i0, int i1, int j0, int j1, int k, float alpha,
                           float[] a, int aOff, int lda, PanelSource source,
                           float beta, float[] c, int cOff, int ldc) {
        Workspace w = WORKSPACE.get();
        for (int jc = j0; jc < j1; jc += NC) {
            int jEnd = Math.min(j1, jc + NC);
            int slivers = ceilDiv(jEnd - jc, nr);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] bp = w.b(slivers * nr * kc);
                source.pack(jc, jEnd, pc, kc, bp, nr);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    float[] ap = w.a(roundUp(mc, MR) * kc);
                    GemmPacking.packA(transA, a, aOff, lda, ic, mc, pc, kc, alpha, ap);
                    block(kc, mc, jEnd - jc, ap, 0, MR * kc, bp, 0, nr * kc, c, cOff + ic * ldc + jc, ldc, pc,
                            beta, w.tile(MR * nr));
                }
            }
        }
    }

    /**
     * Every tile of the mc x nc block of C at {@code c[cIdx]}, over depths [p0, p0 + depth) in k blocks of at
     * most {@link #KC}: the micro-panels of A start at {@code ap[aIdx]}, one every {@code aStride} floats, and
     * the slivers of B at {@code bp[bIdx]}, one every {@code bStride}, each holding the whole depth. Slivers
     * outside, panels inside, so one B sliver serves the whole block; a tile runs all its k blocks before the
     * next (see {@link #packedRectangle}).
     */
    private void block(int depth, int mc, int nc, float[] ap, int aIdx, int aStride, float[] bp, int bIdx,
                       int bStride, float[] c, int cIdx, int ldc, int p0, float beta, float[] tile) {
        for (int j = 0, bj = bIdx; j < nc; j += nr, bj += bStride) {
            int cols = Math.min(nr, nc - j);
            for (int i = 0, ai = aIdx; i < mc; i += MR, ai += aStride) {
                int rows = Math.min(MR, mc - i);
                int ci = cIdx + i * ldc + j;
                if (rows == MR && cols == nr) {
                    tileOverDepth(depth, ap, ai, bp, bj, c, ci, ldc, p0, beta);
                } else {
                    edgeTile(depth, ap, ai, bp, bj, c, ci, ldc, rows, cols, p0, beta, tile);
                }
            }
        }
    }

    /**
     * One tile over depths [p0, p0 + depth), one kernel call per k block. One call over the whole depth was
     * tried too: on 256 x 784 x 2048 on two threads the kernel then ran at 2.7 GFLOP/s under G1 (some C2
     * compilation of its long loop that loses the vectors, not pinned down), so no call goes deeper than KC.
     */
    private void tileOverDepth(int depth, float[] ap, int ai, float[] bp, int bj, float[] c, int ci, int ldc,
                               int p0, float beta) {
        for (int pc = 0; pc < depth; pc += KC) {
            kernel.tile(Math.min(KC, depth - pc), ap, ai + pc * MR, bp, bj + pc * nr, c, ci, ldc,
                    start(p0 + pc, beta), beta);
        }
    }

    /** How the tiles of the k block from depth p start: only the first applies beta, later ones add to C. */
    private static int start(int p, float beta) {
        return p > 0 || beta == 1f ? FROM_C : beta == 0f ? FROM_ZERO : FROM_SCALED_C;
    }

    /** A tile cut by the edge of C: computed in a full-size scratch tile, of which only the valid part is copied. */
    private void edgeTile(int depth, float[] ap, int aIdx, float[] bp, int bIdx, float[] c, int cIdx, int ldc,
                          int rows, int cols, int p0, float beta, float[] tile) {
        if (start(p0, beta) != FROM_ZERO) {
            for (int i = 0; i < rows; i++) {
                System.arraycopy(c, cIdx + i * ldc, tile, i * nr, cols);
            }
        }
        tileOverDepth(depth, ap, aIdx, bp, bIdx, tile, 0, nr, p0, beta);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(tile, i * nr, c, cIdx + i * ldc, cols);
        }
    }

    /** {@code C = beta * C}, and exactly zero for beta == 0 (old contents, even NaN, ignored). */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + n, 0f);
            } else {
                for (int j = 0; j < n; j++) {
                    c[row + j] *= beta;
                }
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }

    /** Per-thread packing buffers, grown on demand and kept, so a steady workload allocates nothing. */
    private static final class Workspace {
        private float[] a = new float[0];
        private float[] b = new float[0];
        private float[] x = new float[0];
        private float[] acc = new float[0];
        private float[] sharedA = new float[0];
        private float[] sharedB = new float[0];
        private float[] tile = new float[0];

        float[] a(int size) {
            a = Scratch.atLeast(a, size);
            return a;
        }

        /** The scratch tile of {@link #edgeTile}. */
        float[] tile(int size) {
            tile = Scratch.atLeast(tile, size);
            return tile;
        }

        /** A strided vector gathered for {@link Gemv}. */
        float[] x(int size) {
            x = Scratch.atLeast(x, size);
            return x;
        }

        /** Accumulators of {@link Gemv#rowCombination} (a different array: x may be in use). */
        float[] acc(int size) {
            acc = Scratch.atLeast(acc, size);
            return acc;
        }

        float[] b(int size) {
            b = Scratch.atLeast(b, size);
            return b;
        }

        /** All of op(A), packed for the tasks of a parallel product: filled and read while its caller waits. */
        float[] sharedA(int size) {
            sharedA = Scratch.atLeast(sharedA, size);
            return sharedA;
        }

        /** All of op(B), likewise. */
        float[] sharedB(int size) {
            sharedB = Scratch.atLeast(sharedB, size);
            return sharedB;
        }
    }
}
