package io.gan4j.core.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GemmKernel} on the incubating Vector API: the 6 x nr tile (two vectors per row) lives in 12 registers
 * for the whole k loop, which is what makes GEMM compute-bound instead of load/store-bound. The vectors are
 * {@link VectorWidth}'s: 256 bits (a 6 x 16 tile, AVX2) or 512 (6 x 32, AVX-512). On this project's 2-core VM,
 * whose FMA units are 512 bits wide (a register-only FMA loop in C reads about 280 GFLOP/s per core with
 * 512-bit vectors, 140 with 256-bit ones), the wider tile does twice the work per instruction. Only
 * {@link VectorSupport} names this class, reflectively, and only when jdk.incubator.vector is present.
 */
final class VectorGemmKernel implements GemmKernel {
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    /** Floats per vector: 8 or 16. */
    private static final int L = S.length();
    /** Columns of a tile: two vectors. */
    private static final int NR = 2 * L;

    VectorGemmKernel() {
        // Narrower hardware (e.g. 128-bit NEON/SSE) would emulate 256-bit vectors slowly: use plain Java there.
        if (FloatVector.SPECIES_PREFERRED.vectorBitSize() < 256) {
            throw new UnsupportedOperationException("preferred vector size is "
                    + FloatVector.SPECIES_PREFERRED.vectorBitSize() + " bits, the GEMM kernel needs 256");
        }
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc,
                     int start, float beta) {
        FloatVector c00 = init(c, cOff, start, beta);
        FloatVector c01 = init(c, cOff + L, start, beta);
        FloatVector c10 = init(c, cOff + ldc, start, beta);
        FloatVector c11 = init(c, cOff + ldc + L, start, beta);
        FloatVector c20 = init(c, cOff + 2 * ldc, start, beta);
        FloatVector c21 = init(c, cOff + 2 * ldc + L, start, beta);
        FloatVector c30 = init(c, cOff + 3 * ldc, start, beta);
        FloatVector c31 = init(c, cOff + 3 * ldc + L, start, beta);
        FloatVector c40 = init(c, cOff + 4 * ldc, start, beta);
        FloatVector c41 = init(c, cOff + 4 * ldc + L, start, beta);
        FloatVector c50 = init(c, cOff + 5 * ldc, start, beta);
        FloatVector c51 = init(c, cOff + 5 * ldc + L, start, beta);
        // A plain loop: hand unrolling made C2 spill accumulators and was measurably slower. The A index is the
        // loop variable so that C2's range-check elimination takes the checks of the six scalar loads out of the
        // loop (only the two B loads keep theirs); with a depth counter p as the loop variable C2 kept checks
        // on A and recomputed the indices every iteration, and the kernel ran at 35-55 GFLOP/s instead of 55-70.
        // The row offsets of C are written out again after the loop, not kept in locals: five fewer integers
        // live across it, and the paired harness (docs/bench/pair) timed SGEMM 1024^3 on two threads 5-10 %
        // faster. Making B's index a multiple of A's (so that its checks leave the loop too) let C2 hoist all
        // six broadcasts, spill four accumulators and run at two thirds of the speed.
        for (int ai = aOff, bi = bOff, end = aOff + kc * MR; ai < end; ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
    }

    private static FloatVector init(float[] c, int i, int start, float beta) {
        if (start == FROM_ZERO) {
            return FloatVector.zero(S);
        }
        FloatVector v = FloatVector.fromArray(S, c, i);
        return start == FROM_SCALED_C ? v.mul(beta) : v;
    }

    @Override
    public float dot(int k, float[] a, int aOff, float[] x, int xOff) {
        // the contract's 32 partial sums: four vectors of 8 lanes, or two of 16 (L is a constant, so C2 drops
        // the branch that does not apply)
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int p = 0;
        for (; p + DOT_LANES <= k; p += DOT_LANES) {
            s0 = FloatVector.fromArray(S, a, aOff + p).fma(FloatVector.fromArray(S, x, xOff + p), s0);
            s1 = FloatVector.fromArray(S, a, aOff + p + L).fma(FloatVector.fromArray(S, x, xOff + p + L), s1);
            if (L == 8) {
                s2 = FloatVector.fromArray(S, a, aOff + p + 16).fma(FloatVector.fromArray(S, x, xOff + p + 16), s2);
                s3 = FloatVector.fromArray(S, a, aOff + p + 24).fma(FloatVector.fromArray(S, x, xOff + p + 24), s3);
            }
        }
        float r = 0f;
        for (; p < k; p++) {
            r = Math.fma(a[aOff + p], x[xOff + p], r);
        }
        float[] sums = new float[DOT_LANES];   // one small array per dot product, as in the plain-Java kernel
        s0.intoArray(sums, 0);
        s1.intoArray(sums, L);
        if (L == 8) {
            s2.intoArray(sums, 16);
            s3.intoArray(sums, 24);
        }
        // the fixed combination order of the contract (reduceLanes would leave the order unspecified)
        float[] t = new float[8];
        for (int l = 0; l < 8; l++) {
            t[l] = (sums[l] + sums[l + 8]) + (sums[l + 16] + sums[l + 24]);
        }
        return ((t[0] + t[1]) + (t[2] + t[3])) + ((t[4] + t[5]) + (t[6] + t[7])) + r;
    }

    @Override
    public void axpy(int len, float s, float[] x, int xOff, float[] y, int yOff) {
        FloatVector vs = FloatVector.broadcast(S, s);
        int j = 0;
        for (int end = S.loopBound(len); j < end; j += S.length()) {
            vs.fma(FloatVector.fromArray(S, x, xOff + j), FloatVector.fromArray(S, y, yOff + j)).intoArray(y, yOff + j);
        }
        for (; j < len; j++) {
            y[yOff + j] = Math.fma(s, x[xOff + j], y[yOff + j]);
        }
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }
}
