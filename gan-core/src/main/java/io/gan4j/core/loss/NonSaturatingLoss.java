package io.gan4j.core.loss;

import io.gan4j.core.tensor.Tensor;

/**
 * The GAN loss used in practice (Goodfellow et al. 2014, section 3; DCGAN): the discriminator as in
 * {@link MinimaxLoss}, the generator minimising {@code -log D(G(z)) = BCE(fake, 1) = mean(softplus(-f))},
 * whose gradient is strong exactly when the discriminator rejects the fakes.
 */
public final class NonSaturatingLoss implements GanLoss {
    private final float realLabel;

    public NonSaturatingLoss() {
        this(REAL_LABEL);
    }

    /**
     * With one-sided label smoothing (Salimans et al. 2016): the discriminator's target for real samples
     * (e.g. 0.9). Fakes stay 0 and the generator still aims at 1: smoothing only the real side keeps the
     * optimum from rewarding fakes.
     */
    public NonSaturatingLoss(float realLabel) {
        this.realLabel = checkRealLabel(realLabel);
    }

    static float checkRealLabel(float realLabel) {
        if (!(realLabel > 0.5f && realLabel <= 1f)) {
            throw new IllegalArgumentException("real label for one-sided label smoothing must be in (0.5, 1], got "
                    + realLabel);
        }
        return realLabel;
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
        return Losses.bceWithLogits(fakeLogits, REAL_LABEL);
    }

    @Override
    public String name() {
        return "non-saturating";
    }

    @Override
    public String toString() {
        return name() + (realLabel != REAL_LABEL ? "(real label " + realLabel + ")" : "");
    }
}
