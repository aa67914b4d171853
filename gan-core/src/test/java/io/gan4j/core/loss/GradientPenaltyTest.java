package io.gan4j.core.loss;

import io.gan4j.core.autograd.GradCheck;
import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.ops.Ops;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientPenaltyTest {
    private static final int N = 5;
    private static final int[] IMAGE = {N, 2, 3, 4};   // [N, C, H, W]: 24 values per sample

    /** D(x) = w . flatten(x) + b: its input gradient is w for every sample and every x. */
    private static Function<Tensor, Tensor> linearCritic(Tensor w, Tensor b) {
        return x -> Ops.linear(x.reshape(x.size(0), -1), w, b);
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void linearCriticGivesTheHandDerivedPenaltyWhateverTheWeights() {
        Generator gen = new Generator(3);
        Tensor w = Tensor.randn(gen, 1, 24).mul(0.5f);
        Tensor b = Tensor.of(new float[] {0.7f}, 1);
        Tensor real = Tensor.randn(gen, IMAGE);
        Tensor fake = Tensor.randn(gen, IMAGE);
        double normW = norm(w.toArray());   // over all 2*3*4 values: the whole flattened sample
        double expected = 10 * (normW - 1) * (normW - 1);
        for (long seed = 0; seed < 3; seed++) {
            GradientPenalty gp = new GradientPenalty(new Generator(seed));
            assertEquals(expected, gp.penalty(linearCritic(w, b), real, fake).item(), 1e-4 * expected);
        }
        assertEquals(2.5 * (normW - 1) * (normW - 1),
                new GradientPenalty(2.5f, gen).penalty(linearCritic(w, b), real, fake).item(), 1e-4 * expected);
    }

    /**
     * The norm is over the whole flattened sample: a critic whose gradient is 1/sqrt(24) in every one of
     * the 24 positions has norm exactly 1, so no penalty. A per-channel (12 values) or per-row (4 values)
     * norm would see norms of 0.71 or 0.41 and penalise it.
     */
    @Test
    void normIsTakenOverTheWholeFlattenedSample() {
        Tensor w = Tensor.full((float) (1 / Math.sqrt(24)), 1, 24);
        Generator gen = new Generator(9);
        Tensor real = Tensor.randn(gen, IMAGE);
        Tensor fake = Tensor.randn(gen, IMAGE);
        assertEquals(0, new GradientPenalty(gen).penalty(linearCritic(w, null), real, fake).item(), 1e-5);
    }

    /** eps is one U[0, 1] number per sample, shared by all values of that sample. */
    @Test
    void interpolationWeightIsDrawnPerSample() {
        AtomicReference<Tensor> seen = new AtomicReference<>();
        // D(x) = sum over the sample of x^2 / 2: the input gradient is x_hat itself, so the penalty is
        // a function of each interpolate's own norm
        Function<Tensor, Tensor> critic = x -> {
            seen.set(x);
            return x.square().reshape(x.size(0), -1).sum(1).mul(0.5f);
        };
        Tensor real = Tensor.ones(IMAGE);
        Tensor fake = Tensor.zeros(IMAGE);
        Tensor p = new GradientPenalty(new Generator(42)).penalty(critic, real, fake);
        float[] xHat = seen.get().toArray();   // = eps_i in every position of sample i
        int per = 24;
        Set<Float> weights = new HashSet<>();
        double expected = 0;
        for (int i = 0; i < N; i++) {
            float eps = xHat[i * per];
            assertTrue(eps >= 0 && eps < 1, "eps in [0, 1): " + eps);
            for (int j = 1; j < per; j++) {
                assertEquals(eps, xHat[i * per + j], 0, "one weight for the whole of sample " + i);
            }
            weights.add(eps);
            double n = Math.sqrt(per) * eps;   // ||x_hat_i|| = eps_i * ||1||
            expected += (n - 1) * (n - 1);
        }
        assertEquals(N, weights.size(), "each sample draws its own weight: " + weights);
        assertEquals(10 * expected / N, p.item(), 1e-4 * Math.max(1, expected));
        // the weights come from the generator's stream: the same seed gives the same interpolates
        new GradientPenalty(new Generator(42)).penalty(critic, real, fake);
        assertEquals(xHat[0], seen.get().toArray()[0], 0);
    }

    @Test
    @SuppressWarnings("try")   // the resource is the scope itself
    void worksWhenTheCallerTurnedRecordingOff() {
        Tensor w = Tensor.full(0.5f, 1, 24);
        Tensor real = Tensor.ones(IMAGE);
        Tensor fake = Tensor.zeros(IMAGE);
        float p;
        try (GradMode off = GradMode.disable()) {
            p = new GradientPenalty(new Generator(1)).penalty(linearCritic(w, null), real, fake).item();
        }
        double n = 0.5 * Math.sqrt(24);
        assertEquals(10 * (n - 1) * (n - 1), p, 1e-3);
    }

    /** The penalty's gradient w.r.t. the critic's parameters: a second derivative through the critic. */
    @Test
    void gradientWithRespectToCriticParametersMatchesFiniteDifferences() {
        Generator gen = new Generator(5);
        Tensor real = Tensor.randn(gen, 3, 2, 2, 2);
        Tensor fake = Tensor.randn(gen, 3, 2, 2, 2);
        Tensor w1 = Tensor.randn(gen, 6, 8).mul(0.4f);
        Tensor b1 = Tensor.randn(gen, 6).mul(0.1f);
        Tensor w2 = Tensor.randn(gen, 1, 6).mul(0.4f);
        Tensor eps = Tensor.rand(real.backend(), gen, 0f, 1f, 3, 1, 1, 1);
        GradientPenalty gp = new GradientPenalty(new Generator(0));
        GradCheck.float32().check("WGAN-GP w.r.t. critic parameters", p -> gp.penalty(
                x -> Ops.linear(Ops.linear(x.reshape(3, -1), p[0], p[1]).tanh(), p[2], null),
                real, fake, eps), w1, b1, w2);
        R1Penalty r1 = new R1Penalty(10f);
        GradCheck.float32().check("R1 w.r.t. critic parameters", p -> r1.penalty(
                x -> Ops.linear(Ops.linear(x.reshape(3, -1), p[0], p[1]).tanh(), p[2], null), real),
                w1, b1, w2);
    }

    @Test
    void r1MatchesTheHandDerivedValueForALinearCritic() {
        Generator gen = new Generator(8);
        Tensor w = Tensor.randn(gen, 1, 24);
        Tensor real = Tensor.randn(gen, IMAGE);
        double n = norm(w.toArray());
        assertEquals(5.0 / 2 * n * n, new R1Penalty(5f).penalty(linearCritic(w, null), real).item(), 1e-4 * n * n);
        // D(x) = sum(x^2) / 2 has gradient x: R1 = gamma/2 * mean_i ||x_i||^2
        float[] x = real.toArray();
        double s = 0;
        for (float v : x) {
            s += (double) v * v;
        }
        Function<Tensor, Tensor> quad = t -> t.square().reshape(t.size(0), -1).sum(1).mul(0.5f);
        assertEquals(s / N, new R1Penalty(2f).penalty(quad, real).item(), 1e-4 * s);
    }
}
