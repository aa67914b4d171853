package io.gan4j.models;

/**
 * The weights of SRGAN's perceptual loss (Ledig et al. 2017, eq. 3): {@code content + adversarialWeight *
 * adversarial}, where the content term is the VGG loss when a {@link VggContentLoss} is given (SRGAN-VGG54)
 * and the pixel MSE otherwise (SRGAN-MSE).
 *
 * @param adversarialWeight weight of the generator's adversarial loss (1e-3)
 */
public record SrganLosses(float adversarialWeight) {

    public SrganLosses {
        if (!(adversarialWeight >= 0) || Float.isInfinite(adversarialWeight)) {
            throw new IllegalArgumentException("SRGAN: adversarial weight must be finite and >= 0, got " + adversarialWeight);
        }
    }

    /** The paper's 1e-3. */
    public static SrganLosses paper() {
        return new SrganLosses(1e-3f);
    }

    public SrganLosses withAdversarialWeight(float w) {
        return new SrganLosses(w);
    }
}
