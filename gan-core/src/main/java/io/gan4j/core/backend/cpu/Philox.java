package io.gan4j.core.backend.cpu;

/**
 * Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11), the
 * counter-based generator of cuRAND, PyTorch and JAX. Element {@code i} of a stream {@code (seed, offset)}
 * uses counter {@code offset + i}, so numbers do not depend on threads or on the backend: a CUDA kernel
 * computing the same function produces the same bits.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;

    private Philox() {
    }

    /** The first 32-bit word of Philox(key = seed, counter = index). */
    public static int bits(long seed, long index) {
        return (int) block(seed, index);
    }

    /** Words 0 (low half) and 1 (high half) of Philox(key = seed, counter = index). */
    public static long block(long seed, long index) {
        // the rounds of philox4x32 on locals: this runs once per random element, so no arrays here
        // (CpuKernelsTest pins it to philox4x32 and to Random123's known answers)
        int c0 = (int) index;
        int c1 = (int) (index >>> 32);
        int c2 = 0;
        int c3 = 0;
        int k0 = (int) seed;
        int k1 = (int) (seed >>> 32);
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
            k0 += W0;
            k1 += W1;
        }
        return (c0 & 0xFFFFFFFFL) | ((long) c1 << 32);
    }

    /**
     * The full Philox-4x32-10 bijection of Random123: four counter words and two key words to four
     * output words (word 0 first), as in Random123's {@code philox4x32(ctr, key)}.
     */
    public static int[] philox4x32(int[] counter, int[] key) {
        int c0 = counter[0];
        int c1 = counter[1];
        int c2 = counter[2];
        int c3 = counter[3];
        int k0 = key[0];
        int k1 = key[1];
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
            k0 += W0;
            k1 += W1;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /** Uniform in (0, 1]: never 0, so that log() is finite. */
    public static float uniformOpen(int bits) {
        return ((bits >>> 8) + 1) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1). */
    public static float uniform(int bits) {
        return (bits >>> 8) * 0x1.0p-24f;
    }

    /** Standard normal for element {@code index}, by Box-Muller on two words of one Philox block. */
    public static float normal(long seed, long index) {
        long b = block(seed, index);
        float u1 = uniformOpen((int) b);
        float u2 = uniform((int) (b >>> 32));
        return (float) (Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2));
    }
}
