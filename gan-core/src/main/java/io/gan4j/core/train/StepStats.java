package io.gan4j.core.train;

/**
 * What one training iteration measured: the losses, the discriminator's mean output on real and on
 * generated samples ({@code dReal} = D(x), {@code dFake} = D(G(z)); probabilities for the BCE-based
 * losses, raw critic values otherwise), the penalty, and the gradient norms of both networks.
 */
public record StepStats(long step, float dLoss, float gLoss, float dReal, float dFake, float penalty,
                        float dGradNorm, float gGradNorm) {

    @Override
    public String toString() {
        return String.format("step %d  loss D %.4f G %.4f  D(x) %.3f D(G(z)) %.3f  |grad| D %.3g G %.3g%s",
                step, dLoss, gLoss, dReal, dFake, dGradNorm, gGradNorm,
                penalty != 0 ? String.format("  penalty %.4f", penalty) : "");
    }
}
