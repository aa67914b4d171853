package io.gan4j.models;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.data.GaussianMixture2d;
import io.gan4j.core.loss.GanLoss;
import io.gan4j.core.loss.GradientPenalty;
import io.gan4j.core.loss.R1Penalty;
import io.gan4j.core.loss.WassersteinLoss;
import io.gan4j.core.metrics.ModeCoverage;
import io.gan4j.core.nn.Module;
import io.gan4j.core.optim.Adam;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;
import io.gan4j.core.train.GanTrainer;
import io.gan4j.core.train.MixtureBatches;
import io.gan4j.core.train.TrainingCallback;

/**
 * A Vanilla GAN on a 2-D Gaussian mixture, measured by mode coverage: the classic test of mode collapse
 * (Metz et al. 2017; Srivastava et al. 2017; Lin et al. 2018). The settings are the library defaults for
 * this toy; any loss strategy plugs in.
 *
 * @param mixture   the target distribution (e.g. {@link GaussianMixture2d#ring8()})
 * @param loss      the GAN objective
 * @param steps     training iterations
 * @param batch     samples per batch
 * @param lr        Adam learning rate of both networks (betas 0.5, 0.999 as in DCGAN)
 * @param emaDecay  EMA of the generator's weights used for sampling (0 = off)
 * @param r1Gamma   weight of the R1 penalty on the discriminator (0 = off); a Wasserstein critic gets
 *                  WGAN-GP's gradient penalty instead
 * @param seed      the one seed of the run
 */
public record MixtureExperiment(GaussianMixture2d mixture, GanLoss loss, int steps, int batch, float lr,
                                float emaDecay, float r1Gamma, long seed) {

    /** Samples evaluated, as in the papers. */
    public static final int EVALUATION_SAMPLES = 2500;

    /**
     * The defaults: 8-Gaussians ring, non-saturating loss, R1 with gamma 0.1. Without a regulariser the
     * non-saturating GAN does not converge on this ring: its generator cycles from mode to mode (Mescheder
     * et al. 2018, "Which training methods for GANs do actually converge?", show this and that R1 on the
     * discriminator restores local convergence); {@code gan toy --r1 0} shows the difference.
     */
    public static MixtureExperiment defaults(long seed) {
        return new MixtureExperiment(GaussianMixture2d.ring8(), GanLoss.named("non-saturating"), STEPS, 256, 1e-3f,
                0.99f, 0.1f, seed);
    }

    /** WGAN-GP's lambda for 2-D toys (Gulrajani et al.'s wgan_toy.py: "smaller lambda seems to help for toy tasks"). */
    public static final float TOY_GRADIENT_PENALTY = 0.1f;
    /** Critic steps per generator step with the Wasserstein loss, as in WGAN-GP. */
    public static final int WGAN_CRITIC_STEPS = 5;

    /** Default training iterations. */
    public static final int STEPS = 4000;

    public MixtureExperiment {
        if (steps < 1 || batch < 1 || !(lr > 0) || !(emaDecay >= 0 && emaDecay < 1) || !(r1Gamma >= 0)) {
            throw new IllegalArgumentException("mixture experiment: expected steps >= 1, batch >= 1, lr > 0, "
                    + "0 <= emaDecay < 1, r1Gamma >= 0; got steps " + steps + ", batch " + batch + ", lr " + lr
                    + ", emaDecay " + emaDecay + ", r1Gamma " + r1Gamma);
        }
    }

    public MixtureExperiment withLoss(GanLoss l) {
        return new MixtureExperiment(mixture, l, steps, batch, lr, emaDecay, r1Gamma, seed);
    }

    public MixtureExperiment withMixture(GaussianMixture2d m) {
        return new MixtureExperiment(m, loss, steps, batch, lr, emaDecay, r1Gamma, seed);
    }

    public MixtureExperiment withSteps(int s) {
        return new MixtureExperiment(mixture, loss, s, batch, lr, emaDecay, r1Gamma, seed);
    }

    public MixtureExperiment withR1Gamma(float gamma) {
        return new MixtureExperiment(mixture, loss, steps, batch, lr, emaDecay, gamma, seed);
    }

    /** Trains from scratch and returns the coverage of {@link #EVALUATION_SAMPLES} generated samples. */
    public ModeCoverage.Report run(Backend backend, TrainingCallback progress) {
        Generator rng = new Generator(seed);
        VanillaGan arch = VanillaGan.toy2d();
        Module g = arch.generator(rng);
        Module d = arch.discriminator(rng);
        boolean wasserstein = loss instanceof WassersteinLoss;
        // WGAN-GP's toy settings (Gulrajani et al.'s wgan_toy.py): 5 critic steps, Adam betas (0.5, 0.9)
        Adam.Config config = Adam.Config.defaults().withLr(lr).withBetas(0.5f, wasserstein ? 0.9f : 0.999f);
        GanTrainer.Builder b = GanTrainer.builder()
                .generator(g, new Adam(g.namedParameters(), config))
                .discriminator(d, new Adam(d.namedParameters(), config))
                .loss(loss)
                .latentDim(arch.latentDim())
                .data(new MixtureBatches(mixture, batch, rng, backend))
                .random(rng)
                .backend(backend)
                .ema(emaDecay);
        if (wasserstein) {
            // a Wasserstein critic needs its Lipschitz constraint: WGAN-GP's penalty, with the lambda of 0.1
            // that the paper's toy code uses (the image lambda of 10 keeps this critic too flat to learn)
            b.gradientPenalty(new GradientPenalty(TOY_GRADIENT_PENALTY, rng)).nCritic(WGAN_CRITIC_STEPS);
        } else if (r1Gamma > 0) {
            b.r1Penalty(new R1Penalty(r1Gamma));
        }
        if (progress != null) {
            b.callback(progress);
        }
        GanTrainer trainer = b.build();
        trainer.train(steps);
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor z = Tensor.randn(backend, new Generator(seed).fork(1), 0f, 1f, EVALUATION_SAMPLES, arch.latentDim());
            return ModeCoverage.evaluate(trainer.sample(z, null), mixture);
        } finally {
            g.close();
            d.close();
        }
    }
}
