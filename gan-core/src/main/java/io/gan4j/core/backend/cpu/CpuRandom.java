package io.gan4j.core.backend.cpu;

/** Counter-based random numbers of the CPU backend (see {@link Philox}). */
final class CpuRandom {
    private static final int GRAIN = 1 << 12;
    private final Parallel parallel;

    CpuRandom(Parallel parallel) {
        this.parallel = parallel;
    }

    void normal(CpuBuffer y, float mean, float std, long seed, long offset) {
        float[] ys = y.array();
        int base = y.offset();
        parallel.forRange(y.size(), GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) ys[base + i] = mean + std * Philox.normal(seed, offset + i);
        });
    }

    void uniform(CpuBuffer y, float low, float high, long seed, long offset) {
        float[] ys = y.array();
        int base = y.offset();
        float span = high - low;
        parallel.forRange(y.size(), GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = low + span * Philox.uniform(Philox.bits(seed, offset + i));
                ys[base + i] = v < high ? v : Math.nextDown(high);
            }
        });
    }

    void bernoulli(CpuBuffer y, float p, long seed, long offset) {
        float[] ys = y.array();
        int base = y.offset();
        parallel.forRange(y.size(), GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) ys[base + i] = Philox.uniform(Philox.bits(seed, offset + i)) < p ? 1f : 0f;
        });
    }
}
