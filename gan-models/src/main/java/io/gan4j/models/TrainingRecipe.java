package io.gan4j.models;

import io.gan4j.core.latent.GaussianMixturePrior;
import io.gan4j.core.latent.LatentPrior;
import io.gan4j.core.loss.GanLoss;
import io.gan4j.core.loss.GradientPenalty;
import io.gan4j.core.loss.R1Penalty;
import io.gan4j.core.nn.Module;
import io.gan4j.core.optim.Adam;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.train.GanTrainer;

import java.util.Objects;

/**
 * How a model is trained, as its paper does it: the GAN objective, one Adam configuration per network
 * (different learning rates = TTUR), critic steps per generator step, and the penalties. It only
 * configures a {@link GanTrainer}; the loop is gan-core's.
 *
 * @param loss                  the GAN objective
 * @param generatorOptimizer    Adam settings of the generator
 * @param discriminatorOptimizer Adam settings of the discriminator (critic)
 * @param nCritic               discriminator steps per generator step
 * @param gradientPenalty       WGAN-GP's lambda, 0 = off
 * @param r1Gamma               R1's gamma, 0 = off
 * @param emaDecay              EMA of the generator's weights, 0 = off
 * @param reuseFakeBatch        the generator step trains on the discriminator step's generated batch
 *                              ({@link GanTrainer.Builder#reuseFakeBatch})
 * @param latentComponents      0: the noise is N(0, I), as in the papers; k > 0: an equal mixture of k
 *                              Gaussians ({@link GaussianMixturePrior}), which lets the generator keep
 *                              separate modes apart
 */
public record TrainingRecipe(GanLoss loss, Adam.Config generatorOptimizer, Adam.Config discriminatorOptimizer,
                             int nCritic, float gradientPenalty, float r1Gamma, float emaDecay,
                             boolean reuseFakeBatch, int latentComponents) {

    public TrainingRecipe {
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(generatorOptimizer, "generator optimizer");
        Objects.requireNonNull(discriminatorOptimizer, "discriminator optimizer");
        if (nCritic < 1) {
            throw new IllegalArgumentException("training recipe: nCritic must be >= 1, got " + nCritic);
        }
        if (latentComponents < 0) {
            throw new IllegalArgumentException("training recipe: latent mixture components must be >= 0 "
                    + "(0 = N(0, I)), got " + latentComponents);
        }
        if (!(gradientPenalty >= 0) || !(r1Gamma >= 0) || !(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("training recipe: gradient penalty " + gradientPenalty + ", R1 gamma "
                    + r1Gamma + " must be >= 0 and EMA decay " + emaDecay + " in [0, 1)");
        }
    }

    /**
     * Radford et al. 2016: non-saturating loss, Adam(lr 2e-4, betas (0.5, 0.999)) for both networks; the
     * generator step reuses the discriminator step's generated batch, as the PyTorch DCGAN example does.
     */
    public static TrainingRecipe dcgan() {
        Adam.Config adam = Adam.Config.defaults().withLr(2e-4f).withBetas(0.5f, 0.999f);
        return new TrainingRecipe(GanLoss.named("non-saturating"), adam, adam, 1, 0f, 0f, 0f, true, 0);
    }

    /**
     * Gulrajani et al. 2017, algorithm 1: Wasserstein loss, gradient penalty lambda 10, 5 critic steps per
     * generator step, Adam(lr 1e-4, betas (0, 0.9)) for both networks.
     */
    public static TrainingRecipe wganGp() {
        Adam.Config adam = Adam.Config.defaults().withLr(1e-4f).withBetas(0f, 0.9f);
        return new TrainingRecipe(GanLoss.named("wasserstein"), adam, adam, 5,
                GradientPenalty.DEFAULT_LAMBDA, 0f, 0f, false, 0);
    }

    /** Ledig et al. 2017, section 3.2: Adam(lr 1e-4, beta1 0.9) for both networks, one D step per G step. */
    public static TrainingRecipe srgan() {
        Adam.Config adam = Adam.Config.defaults().withLr(1e-4f).withBetas(0.9f, 0.999f);
        return new TrainingRecipe(GanLoss.named("non-saturating"), adam, adam, 1, 0f, 0f, 0f, false, 0);
    }

    public TrainingRecipe withLoss(GanLoss l) {
        return new TrainingRecipe(l, generatorOptimizer, discriminatorOptimizer, nCritic,
                gradientPenalty, r1Gamma, emaDecay, reuseFakeBatch, latentComponents);
    }

    /** The loss of that name ({@link GanLoss#NAMES}). */
    public TrainingRecipe withLoss(String name) {
        return withLoss(GanLoss.named(name));
    }

    public TrainingRecipe withGeneratorOptimizer(Adam.Config c) {
        return new TrainingRecipe(loss, c, discriminatorOptimizer, nCritic,
                gradientPenalty, r1Gamma, emaDecay, reuseFakeBatch, latentComponents);
    }

    public TrainingRecipe withDiscriminatorOptimizer(Adam.Config c) {
        return new TrainingRecipe(loss, generatorOptimizer, c, nCritic,
                gradientPenalty, r1Gamma, emaDecay, reuseFakeBatch, latentComponents);
    }

    /** The same learning rate for both networks (betas unchanged). */
    public TrainingRecipe withLr(float lr) {
        return new TrainingRecipe(loss, generatorOptimizer.withLr(lr), discriminatorOptimizer.withLr(lr), nCritic,
                gradientPenalty, r1Gamma, emaDecay, reuseFakeBatch, latentComponents);
    }

    public TrainingRecipe withNCritic(int n) {
        return new TrainingRecipe(loss, generatorOptimizer, discriminatorOptimizer, n,
                gradientPenalty, r1Gamma, emaDecay, reuseFakeBatch, latentComponents);
    }

    /** WGAN-GP's lambda; 0 turns the penalty off. */
    public TrainingRecipe withGradientPenalty(float lambda) {
        return new TrainingRecipe(loss, generatorOptimizer, discriminatorOptimizer, nCritic,
                lambda, r1Gamma, emaDecay, reuseFakeBatch, latentComponents);
    }

    /** R1's gamma; 0 turns the penalty off. */
    public TrainingRecipe withR1(float gamma) {
        return new TrainingRecipe(loss, generatorOptimizer, discriminatorOptimizer, nCritic,
                gradientPenalty, gamma, emaDecay, reuseFakeBatch, latentComponents);
    }

    public TrainingRecipe withEma(float decay) {
        return new TrainingRecipe(loss, generatorOptimizer, discriminatorOptimizer, nCritic,
                gradientPenalty, r1Gamma, decay, reuseFakeBatch, latentComponents);
    }

    public TrainingRecipe withReuseFakeBatch(boolean reuse) {
        return new TrainingRecipe(loss, generatorOptimizer, discriminatorOptimizer, nCritic, gradientPenalty, r1Gamma,
                emaDecay, reuse, latentComponents);
    }

    /** The noise from a mixture of {@code components} Gaussians, or from N(0, I) with 0. */
    public TrainingRecipe withLatentComponents(int components) {
        return new TrainingRecipe(loss, generatorOptimizer, discriminatorOptimizer, nCritic, gradientPenalty, r1Gamma,
                emaDecay, reuseFakeBatch, components);
    }

    /** The prior of a generator whose noise has {@code latentDim} numbers. */
    public LatentPrior latentPrior(int latentDim) {
        return LatentPrior.of(latentDim, latentComponents);
    }

    /**
     * Sets the networks with their optimizers, the loss, nCritic, the penalties and the EMA on {@code b};
     * the caller adds data, backend, randomness and latent size (or lets {@link GanModel#trainer} do it).
     * {@code rng} draws the gradient penalty's interpolation weights.
     */
    public GanTrainer.Builder configure(GanTrainer.Builder b, Module generator, Module discriminator, Generator rng) {
        b.generator(generator, new Adam(generator.namedParameters(), generatorOptimizer))
                .discriminator(discriminator, new Adam(discriminator.namedParameters(), discriminatorOptimizer))
                .loss(loss)
                .nCritic(nCritic)
                .ema(emaDecay)
                .reuseFakeBatch(reuseFakeBatch);
        if (gradientPenalty > 0) {
            b.gradientPenalty(new GradientPenalty(gradientPenalty, rng));
        }
        if (r1Gamma > 0) {
            b.r1Penalty(new R1Penalty(r1Gamma));
        }
        return b;
    }
}
