package io.gan4j.core.backend.cpu;

/**
 * The innermost loops of {@link CpuGemm}: one {@link #MR} x {@link #nr()} tile of C from a packed A micro-panel
 * and a packed B sliver, and the dot product and axpy of its matrix-vector path. Every implementation must
 * perform exactly the operations, in the order, that the documentation of each method gives, so that
 * results do not depend on which implementation (vector or plain Java) or which thread computed them.
 */
interface GemmKernel {
    /** Rows of a tile: 6 x 2 accumulator vectors + 2 B vectors + 1 broadcast fit AVX2's 16 registers. */
    int MR = 6;

    /**
     * Columns of a tile, and so of a packed B sliver: two vectors of the kernel's width (16 for 256-bit
     * vectors, 32 for 512-bit ones).
     */
    int nr();

    /** The tile starts from zero: the first k block with beta == 0, so old C (even NaN) is never read. */
    int FROM_ZERO = 0;
    /** The tile starts from beta * C: the first k block with beta != 0. */
    int FROM_SCALED_C = 1;
    /** The tile starts from C: every later k block adds to what the earlier ones left. */
    int FROM_C = 2;

    /**
     * {@code C[i][j] = start(C[i][j]) + sum over p of a[aOff + p*MR + i] * b[bOff + p*nr + j]}, one fused
     * multiply-add per p in increasing p, for i < MR, j < nr = {@link #nr()}, with C at {@code c[cOff + i*ldc + j]}.
     * Each element is its own chain, so kernels of any width compute the same bits.
     *
     * @param start {@link #FROM_ZERO}, {@link #FROM_SCALED_C} or {@link #FROM_C}
     */
    void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, int start, float beta);

    /** Partial sums of {@link #dot}: 4 vectors of 8 lanes, enough independent chains to hide FMA latency. */
    int DOT_LANES = 32;

    /**
     * {@code sum over p < k of a[aOff + p] * x[xOff + p]}, computed as: 32 partial sums s[l], each a chain of
     * fused multiply-adds over p = l, l + 32, ... for the whole blocks of 32; a separate chain r over the
     * remaining p; then t[l] = (s[l] + s[l + 8]) + (s[l + 16] + s[l + 24]) for l < 8, and the result
     * ((t0 + t1) + (t2 + t3)) + ((t4 + t5) + (t6 + t7)) + r.
     */
    float dot(int k, float[] a, int aOff, float[] x, int xOff);

    /** {@code y[yOff + j] = fma(s, x[xOff + j], y[yOff + j])} for j < len. */
    void axpy(int len, float s, float[] x, int xOff, float[] y, int yOff);

    /** Short name for the start-up log line and benchmarks. */
    String name();
}
