package io.gan4j.core.loss;

import io.gan4j.core.tensor.Tensor;

/**
 * WGAN (Arjovsky et al. 2017): the critic minimises {@code E[D(G(z))] - E[D(x)]} (the negated estimate
 * of the Wasserstein-1 distance), G minimises {@code -E[D(G(z))]}. Meaningful only with a Lipschitz
 * constraint on the critic: weight clipping, or {@link GradientPenalty} (WGAN-GP).
 */
public final class WassersteinLoss implements GanLoss {
    @Override
    public Tensor discriminatorLoss(Tensor realLogits, Tensor fakeLogits) {
        return fakeLogits.mean().sub(realLogits.mean());
    }

    @Override
    public Tensor generatorLoss(Tensor fakeLogits) {
        return fakeLogits.mean().neg();
    }

    @Override
    public String name() {
        return "wasserstein";
    }

    @Override
    public String toString() {
        return name();
    }
}
