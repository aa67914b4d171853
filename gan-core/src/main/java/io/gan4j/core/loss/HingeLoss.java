package io.gan4j.core.loss;

import io.gan4j.core.tensor.Tensor;

/**
 * The hinge loss (Lim and Ye 2017; SAGAN, BigGAN): D minimises
 * {@code E[relu(1 - D(x))] + E[relu(1 + D(G(z)))]}, G minimises {@code -E[D(G(z))]}.
 */
public final class HingeLoss implements GanLoss {
    @Override
    public Tensor discriminatorLoss(Tensor realLogits, Tensor fakeLogits) {
        Tensor real = realLogits.neg().add(1f).relu().mean();
        Tensor fake = fakeLogits.add(1f).relu().mean();
        return real.add(fake);
    }

    @Override
    public Tensor generatorLoss(Tensor fakeLogits) {
        return fakeLogits.mean().neg();
    }

    @Override
    public String name() {
        return "hinge";
    }

    @Override
    public String toString() {
        return name();
    }
}
