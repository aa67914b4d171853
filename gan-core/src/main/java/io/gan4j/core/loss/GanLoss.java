package io.gan4j.core.loss;

import io.gan4j.core.tensor.Tensor;

import java.util.List;
import java.util.Locale;

/**
 * A GAN objective: what the discriminator (critic) and the generator each minimise, given the
 * discriminator's raw outputs (logits, never sigmoid outputs) on real and generated samples.
 *
 * <p>Label convention, everywhere in GAN4J: real = {@value #REAL_LABEL}, fake = {@value #FAKE_LABEL}; a
 * higher logit means "more real".
 */
public interface GanLoss {
    float REAL_LABEL = 1f;
    float FAKE_LABEL = 0f;

    /** The discriminator's loss on a real batch and a fake batch (fakes detached from the generator). */
    Tensor discriminatorLoss(Tensor realLogits, Tensor fakeLogits);

    /** The generator's loss on the discriminator's logits for its samples. */
    Tensor generatorLoss(Tensor fakeLogits);

    /** The name used on the command line and in logs, e.g. "non-saturating". */
    String name();

    /** The names {@link #named} accepts. */
    List<String> NAMES = List.of("minimax", "non-saturating", "least-squares", "hinge", "wasserstein");

    /** The loss of that name with its default settings. */
    static GanLoss named(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "minimax":
                return new MinimaxLoss();
            case "non-saturating":
                return new NonSaturatingLoss();
            case "least-squares":
                return new LeastSquaresLoss();
            case "hinge":
                return new HingeLoss();
            case "wasserstein":
                return new WassersteinLoss();
            default:
                throw new IllegalArgumentException("unknown GAN loss '" + name + "'; expected one of " + NAMES);
        }
    }
}
