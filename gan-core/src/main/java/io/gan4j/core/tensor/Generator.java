package io.gan4j.core.tensor;

/**
 * A seeded source of random tensors. Its whole state is two numbers, the seed and the count of numbers
 * drawn so far, so it is saved and restored exactly (a resumed run continues the same stream); the
 * backends' counter-based kernels make the numbers independent of threads and devices.
 */
public final class Generator {
    private final long seed;
    private long offset;

    public Generator(long seed) {
        this(seed, 0);
    }

    public Generator(long seed, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("generator offset must be >= 0, got " + offset);
        }
        this.seed = seed;
        this.offset = offset;
    }

    public long seed() {
        return seed;
    }

    /** How many numbers were drawn so far. */
    public long offset() {
        return offset;
    }

    /** Reserves {@code n} numbers of the stream and returns where they start. */
    public synchronized long reserve(long n) {
        long start = offset;
        offset += n;
        return start;
    }

    /** Moves to a position saved from {@link #offset()} (resuming a run). */
    public synchronized void seek(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("generator offset must be >= 0, got " + offset);
        }
        this.offset = offset;
    }

    /** An independent generator derived from this one's seed and a stream number (for named sub-streams). */
    public Generator fork(long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new Generator(z ^ (z >>> 31));
    }

    @Override
    public String toString() {
        return "Generator(seed=" + seed + ", offset=" + offset + ")";
    }
}
