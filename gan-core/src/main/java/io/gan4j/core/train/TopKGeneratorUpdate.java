package io.gan4j.core.train;

import io.gan4j.core.ops.Ops;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Top-k training (Sinha et al. 2020, "Top-k Training of GANs: Improving GAN Performance by Throwing Away Bad
 * Samples"): the generator's loss is taken only over the k generated samples the discriminator finds most
 * real. The worst fakes would pull the generator towards places the discriminator has already given up on;
 * the best ones point along the data manifold.
 *
 * <p>k follows the paper's schedule, {@code k = max(gamma^(step / decayEvery) * n, nu * n)} (at least 1), so
 * every sample counts at first, when all of them are bad. The paper decays once per epoch with gamma 0.99
 * and nu 0.5 over hundreds of epochs; a run of a few epochs needs a shorter {@code decayEvery} to reach nu.
 */
public final class TopKGeneratorUpdate {
    private final float gamma;
    private final long decayEvery;
    private final float nu;

    public TopKGeneratorUpdate(float gamma, long decayEvery, float nu) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("top-k: gamma must be in (0, 1], got " + gamma);
        }
        if (decayEvery < 1) {
            throw new IllegalArgumentException("top-k: decay interval must be >= 1 step, got " + decayEvery);
        }
        if (!(nu > 0 && nu <= 1)) {
            throw new IllegalArgumentException("top-k: nu (the smallest share kept) must be in (0, 1], got " + nu);
        }
        this.gamma = gamma;
        this.decayEvery = decayEvery;
        this.nu = nu;
    }

    /** How many of {@code n} samples the generator's loss keeps at this (1-based) step. */
    public int k(long step, int n) {
        double share = Math.max(Math.pow(gamma, (double) (step - 1) / decayEvery), nu);
        return Math.max(1, Math.min(n, (int) Math.ceil(share * n - 1e-9)));
    }

    /**
     * The rows of the discriminator's outputs {@code logits} ([n] or [n, 1]) that the generator's loss keeps
     * at this step: the k highest, in their batch order. The others get no gradient.
     */
    public Tensor select(Tensor logits, long step) {
        int[] s = logits.shape();
        if (s.length == 0 || logits.numel() != s[0]) {
            throw new IllegalArgumentException("top-k: expected one discriminator output per sample, got shape "
                    + Shape.str(s));
        }
        int n = s[0];
        int k = k(step, n);
        if (k == n) {
            return logits;
        }
        float[] v = logits.toArray();
        int[] kept = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -v[i]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
        Tensor[] rows = Arrays.stream(kept).mapToObj(i -> logits.slice(i, i + 1)).toArray(Tensor[]::new);
        return Ops.concat(0, rows);
    }

    @Override
    public String toString() {
        return "top-k(gamma " + gamma + " every " + decayEvery + " steps, nu " + nu + ")";
    }
}
