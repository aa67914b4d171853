package io.gan4j.core.backend.cpu;

/**
 * The innermost loop of {@link CpuGemm}: one {@link #MR} x {@link #NR} tile of C from a packed A micro-panel
 * and a packed B sliver. Every implementation must compute each C element with the same chain of fused
 * multiply-adds (start value, then p = 0 .. kc-1 in order), so that results do not depend on which
 * implementation or which thread computed a tile.
 */
interface GemmKernel {
    /** Rows of a tile: 6 x 2 accumulator vectors + 2 B vectors + 1 broadcast fit AVX2's 16 registers. */
    int MR = 6;
    /** Columns of a tile: two 8-float vectors. */
    int NR = 16;

    /** The tile starts from zero: the first k block with beta == 0, so old C (even NaN) is never read. */
    int FROM_ZERO = 0;
    /** The tile starts from beta * C: the first k block with beta != 0. */
    int FROM_SCALED_C = 1;
    /** The tile starts from C: every later k block adds to what the earlier ones left. */
    int FROM_C = 2;

    /**
     * {@code C[i][j] = start(C[i][j]) + sum over p of a[aOff + p*MR + i] * b[bOff + p*NR + j]}, one fused
     * multiply-add per p in increasing p, for i < MR, j < NR, with C at {@code c[cOff + i*ldc + j]}.
     *
     * @param start {@link #FROM_ZERO}, {@link #FROM_SCALED_C} or {@link #FROM_C}
     */
    void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, int start, float beta);

    /** Short name for the start-up log line and benchmarks. */
    String name();
}
