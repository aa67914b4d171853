package io.gan4j.core.loss;

import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * Mode seeking (Mao et al. 2019, MSGAN, eq. 3 with the L1 distances of the authors' code): a term of the
 * generator's loss that grows when two noise vectors give nearly the same sample,
 * {@code lambda / (mean|G(z1) - G(z2)| / mean|z1 - z2| + eps)}. A conditional generator that learns to ignore
 * its noise and draw one image per class is exactly what it penalises.
 *
 * <p>The batch is cut in halves: sample i of the first half is paired with sample i of the second, so a
 * conditional trainer gives both halves the same labels ({@link io.gan4j.core.train.GanTrainer.Builder#modeSeeking}).
 * With an odd batch the last sample sits out.
 */
public final class ModeSeekingRegularizer {
    /** Keeps the term finite when two samples coincide (the authors' code uses the same). */
    public static final float EPS = 1e-5f;

    private final float lambda;

    public ModeSeekingRegularizer(float lambda) {
        if (!(lambda > 0) || Float.isInfinite(lambda)) {
            throw new IllegalArgumentException("mode seeking: lambda must be finite and > 0, got " + lambda);
        }
        this.lambda = lambda;
    }

    public float lambda() {
        return lambda;
    }

    /**
     * The term for the generated batch {@code fakes} [N, ...] and the noise {@code z} [N, ...] it came from;
     * differentiable in {@code fakes}.
     */
    public Tensor penalty(Tensor fakes, Tensor z) {
        int n = fakes.dim() > 0 ? fakes.size(0) : 0;
        if (n < 2 || z.dim() < 1 || z.size(0) != n) {
            throw new IllegalArgumentException("mode seeking: expected a batch of at least 2 samples and noise with as "
                    + "many rows, got samples " + Shape.str(fakes.shape()) + " and noise " + Shape.str(z.shape()));
        }
        int half = n / 2;
        Tensor sampleDistance = fakes.slice(0, half).sub(fakes.slice(half, 2 * half)).abs().mean();
        Tensor noiseDistance = z.slice(0, half).sub(z.slice(half, 2 * half)).abs().mean().detach();
        return sampleDistance.div(noiseDistance).add(EPS).pow(-1f).mul(lambda);
    }
}
