package io.gan4j.core.ops;

import io.gan4j.core.autograd.GradCheck;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;

import java.util.SplittableRandom;

/** Inputs for gradient checks: seeded, and kept away from the points where an op is not smooth. */
final class OpsTesting {
    static final GradCheck CHECK = GradCheck.float32();

    private OpsTesting() {
    }

    static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape);
    }

    static Tensor randn(long seed, float std, int... shape) {
        return randn(seed, shape).mul(std);
    }

    static Tensor uniform(long seed, float low, float high, int... shape) {
        return Tensor.rand(io.gan4j.core.backend.Device.current(), new Generator(seed), low, high, shape);
    }

    /**
     * Values whose magnitude lies in {@code [margin, margin + spread]}, with random signs: finite
     * differences of size well below {@code margin} never cross a kink at 0.
     */
    static Tensor awayFromZero(long seed, float margin, float spread, int... shape) {
        Tensor u = Tensor.rand(new Generator(seed), shape);
        float[] v = u.toArray();
        SplittableRandom signs = new SplittableRandom(seed);
        for (int i = 0; i < v.length; i++) {
            v[i] = (signs.nextBoolean() ? 1 : -1) * (margin + spread * v[i]);
        }
        return Tensor.of(v, shape);
    }

    /** Distinct values (a shuffled, jittered ramp): no ties, gaps of at least {@code gap}. */
    static Tensor distinct(long seed, float gap, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2f) * gap;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.of(v, shape);
    }

    /** A random shape of the given rank with sizes in [1, max], always with at least one size of 1 and one odd size. */
    static int[] randomShape(SplittableRandom rnd, int rank, int max) {
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = 1 + rnd.nextInt(max);
        }
        if (rank > 0) {
            s[rnd.nextInt(rank)] = 1;
        }
        if (rank > 1) {
            int i = rnd.nextInt(rank);
            if (s[i] % 2 == 0) {
                s[i] = s[i] + 1;
            }
        }
        return s;
    }
}
