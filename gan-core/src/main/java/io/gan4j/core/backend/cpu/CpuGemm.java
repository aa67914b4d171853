package io.gan4j.core.backend.cpu;

import static io.gan4j.core.backend.cpu.GemmKernel.FROM_C;
import static io.gan4j.core.backend.cpu.GemmKernel.FROM_SCALED_C;
import static io.gan4j.core.backend.cpu.GemmKernel.FROM_ZERO;
import static io.gan4j.core.backend.cpu.GemmKernel.MR;
import static io.gan4j.core.backend.cpu.GemmKernel.NR;

/**
 * Single-precision GEMM of the CPU backend, row-major: {@code C = alpha * op(A) op(B) + beta * C}.
 *
 * <p>GotoBLAS/BLIS structure: for each block of {@link #NC} columns and {@link #KC} depths, op(B) is packed
 * once into slivers (shared by all threads), then tasks of (a block of rows) x (a range of slivers) each pack
 * their rows of op(A) and run the register-blocked {@link GemmKernel} over every tile. A packed A block
 * (MC x KC) stays in L2 and a B sliver (KC x NR) in L1 while the kernel streams over them.
 *
 * <p>Determinism: every C element is the same chain of fused multiply-adds whatever the thread count -
 * KC is a constant, each k block continues from what the previous one stored, and threads only split rows
 * and columns of C between them - so results are bit-identical for 1, 2 or more threads.
 */
final class CpuGemm {
    /** Depth of a k block: a B sliver (KC x NR floats, 16 KiB) fits L1 with room for A and C. */
    static final int KC = 256;
    /** Rows of a packed A block (multiple of MR): MC x KC floats = 144 KiB, well inside a 512 KiB L2. */
    static final int MC = 144;
    /** Columns of a packed B block (multiple of NR): KC x NC floats = 4 MiB, bounded whatever n is. */
    static final int NC = 4096;
    /** Below this many flops a product runs on the calling thread: forking costs more than it saves. */
    private static final long PARALLEL_MIN_FLOPS = 1L << 21;
    /** Tasks per thread, so that work stealing can even out uneven blocks. */
    private static final int TASKS_PER_THREAD = 4;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private final Parallel parallel;
    private final GemmKernel kernel;

    CpuGemm(Parallel parallel) {
        this(parallel, VectorSupport.gemmKernel());
    }

    CpuGemm(Parallel parallel, GemmKernel kernel) {
        this.parallel = parallel;
        this.kernel = kernel;
    }

    GemmKernel kernel() {
        return kernel;
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        boolean par = parallel.threads() > 1 && 2L * m * n * k >= PARALLEL_MIN_FLOPS;
        int ncMax = Math.min(NC, roundUp(n, NR));
        float[] bp = WORKSPACE.get().b(Math.min(KC, k) * ncMax);
        for (int jc = 0; jc < n; jc += NC) {
            int jEnd = Math.min(n, jc + NC);
            int slivers = ceilDiv(jEnd - jc, NR);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int p0 = pc;
                int j0 = jc;
                int start = pc > 0 || beta == 1f ? FROM_C : beta == 0f ? FROM_ZERO : FROM_SCALED_C;
                // pack this block of op(B), sliver by sliver
                Parallel.Range packB = (from, to) -> {
                    for (int s = from; s < to; s++) {
                        GemmPacking.packB(transB, b, bOff, ldb, j0, jEnd, s, p0, kc, bp);
                    }
                };
                if (par) {
                    parallel.forRange(slivers, 1, packB);
                } else {
                    packB.run(0, slivers);
                }
                // multiply: tasks are (row block) x (sliver range); each C tile belongs to one task
                int rowBlocks = ceilDiv(m, MC);
                int mc = roundUp(ceilDiv(m, rowBlocks), MR);
                int rowBlocksUsed = ceilDiv(m, mc);
                int colChunks = par
                        ? Math.max(1, Math.min(slivers, ceilDiv(TASKS_PER_THREAD * parallel.threads(), rowBlocksUsed)))
                        : 1;
                // several tasks share a row block: pack its A once, in parallel, instead of once per task
                float[] apShared = colChunks > 1 ? WORKSPACE.get().shared(roundUp(m, MR) * kc) : null;
                if (apShared != null) {
                    Parallel.Range packA = (from, to) -> {
                        for (int panel = from; panel < to; panel++) {
                            int i0 = panel * MR;
                            GemmPacking.packA(transA, a, aOff, lda, i0, Math.min(MR, m - i0), p0, kc, alpha,
                                    apShared, i0 * kc);
                        }
                    };
                    parallel.forRange(ceilDiv(m, MR), 1, packA);
                }
                Parallel.Range tasks = (from, to) -> {
                    for (int t = from; t < to; t++) {
                        int i0 = (t / colChunks) * mc;
                        int cc = t % colChunks;
                        int s0 = (int) ((long) slivers * cc / colChunks);
                        int s1 = (int) ((long) slivers * (cc + 1) / colChunks);
                        block(transA, a, aOff, lda, alpha, i0, Math.min(mc, m - i0), p0, kc,
                                bp, j0, jEnd, s0, s1, start, beta, c, cOff, ldc, apShared);
                    }
                };
                int taskCount = rowBlocksUsed * colChunks;
                if (par) {
                    parallel.forRange(taskCount, 1, tasks);
                } else {
                    tasks.run(0, taskCount);
                }
            }
        }
    }

    /** Rows {@code [i0, i0 + mr)} x slivers {@code [s0, s1)} of C for one k block. */
    private void block(boolean transA, float[] a, int aOff, int lda, float alpha, int i0, int mr, int p0, int kc,
                       float[] bp, int j0, int jEnd, int s0, int s1, int start, float beta,
                       float[] c, int cOff, int ldc, float[] apShared) {
        Workspace w = WORKSPACE.get();
        float[] ap;
        int apOff;
        if (apShared != null) {
            ap = apShared;
            apOff = i0 * kc;
        } else {
            ap = w.a(roundUp(mr, MR) * kc);
            apOff = 0;
            GemmPacking.packA(transA, a, aOff, lda, i0, mr, p0, kc, alpha, ap, 0);
        }
        for (int s = s0; s < s1; s++) {
            int j = j0 + s * NR;
            int cols = Math.min(NR, jEnd - j);
            int bIdx = s * NR * kc;
            for (int ip = 0; ip < mr; ip += MR) {
                int rows = Math.min(MR, mr - ip);
                int aIdx = apOff + ip * kc;
                int cIdx = cOff + (i0 + ip) * ldc + j;
                if (rows == MR && cols == NR) {
                    kernel.tile(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, start, beta);
                } else {
                    edgeTile(kc, ap, aIdx, bp, bIdx, c, cIdx, ldc, rows, cols, start, beta, w.tile);
                }
            }
        }
    }

    /** A tile cut by the edge of C: computed in a full-size scratch tile, of which only the valid part is copied. */
    private void edgeTile(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] c, int cIdx, int ldc,
                          int rows, int cols, int start, float beta, float[] tile) {
        if (start != FROM_ZERO) {
            for (int i = 0; i < rows; i++) {
                System.arraycopy(c, cIdx + i * ldc, tile, i * NR, cols);
            }
        }
        kernel.tile(kc, ap, aIdx, bp, bIdx, tile, 0, NR, start, beta);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(tile, i * NR, c, cIdx + i * ldc, cols);
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
        private float[] shared = new float[0];
        final float[] tile = new float[MR * NR];

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        /** All of op(A) of one k block, packed by the calling thread's tasks and read by all of them. */
        float[] shared(int size) {
            if (shared.length < size) {
                shared = new float[size];
            }
            return shared;
        }

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }
}
