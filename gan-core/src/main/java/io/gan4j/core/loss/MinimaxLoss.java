package io.gan4j.core.loss;

import io.gan4j.core.tensor.Tensor;

/**
 * The original GAN game (Goodfellow et al. 2014), with the generator's saturating objective.
 *
 * <p>D maximises {@code log D(x) + log(1 - D(G(z)))}, i.e. minimises BCE(real, 1) + BCE(fake, 0).
 * G minimises {@code log(1 - D(G(z)))}; with {@code D = sigmoid(f)}, {@code log(1 - sigmoid(f)) =
 * -softplus(f)}, so the generator loss is {@code -mean(softplus(f)) = -BCE(f, 0)}. Its gradient
 * {@code -sigmoid(f)} vanishes when D confidently rejects the fakes, which is why
 * {@link NonSaturatingLoss} is used in practice; this one is kept for the paper's experiments.
 */
public final class MinimaxLoss implements GanLoss {
    private final float realLabel;

    public MinimaxLoss() {
        this(REAL_LABEL);
    }

    /** With one-sided label smoothing: the discriminator's target for real samples (e.g. 0.9); fakes stay 0. */
    public MinimaxLoss(float realLabel) {
        this.realLabel = NonSaturatingLoss.checkRealLabel(realLabel);
    }

    public float realLabel() {
        return realLabel;
    }

    @Override
    public Tensor discriminatorLoss(Tensor realLogits, Tensor fakeLogits) {
        return Losses.bceWithLogits(realLogits, realLabel).add(Losses.bceWithLogits(fakeLogits, FAKE_LABEL));
    }

    @Override
    public Tensor generatorLoss(Tensor fakeLogits) {
        return fakeLogits.softplus().mean().neg();
    }

    @Override
    public String name() {
        return "minimax";
    }

    @Override
    public String toString() {
        return name() + (realLabel != REAL_LABEL ? "(real label " + realLabel + ")" : "");
    }
}
