package io.gan4j.models;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.data.GaussianMixture2d;
import io.gan4j.core.loss.GanLoss;
import io.gan4j.core.loss.GradientPenalty;
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
 * @param seed      the one seed of the run
 */
public record MixtureExperiment(GaussianMixture2d mixture, GanLoss loss, int steps, int batch, float lr,
                                float emaDecay, long seed) {

    /** Samples evaluated, as in the papers. */
    public static final int EVALUATION_SAMPLES = 2500;

    /** The defaults: 8-Gaussians ring, non-saturating loss. */
    public static MixtureExperiment defaults(long seed) {
        return new MixtureExperiment(GaussianMixture2d.ring8(), GanLoss.named("non-saturating"), 3000, 256, 1e-3f,
                0.99f, seed);
    }

    public MixtureExperiment withLoss(GanLoss l) {
        return new MixtureExperiment(mixture, l, steps, batch, lr, emaDecay, seed);
    }

    public MixtureExperiment withMixture(GaussianMixture2d m) {
        return new MixtureExperiment(m, loss, steps, batch, lr, emaDecay, seed);
    }

    public MixtureExperiment withSteps(int s) {
        return new MixtureExperiment(mixture, loss, s, batch, lr, emaDecay, seed);
    }

    /** Trains from scratch and returns the coverage of {@link #EVALUATION_SAMPLES} generated samples. */
    public ModeCoverage.Report run(Backend backend, TrainingCallback progress) {
        Generator rng = new Generator(seed);
        VanillaGan arch = VanillaGan.toy2d();
        Module g = arch.generator(rng);
        Module d = arch.discriminator(rng);
        Adam.Config config = Adam.Config.defaults().withLr(lr).withBetas(0.5f, 0.999f);
        GanTrainer.Builder b = GanTrainer.builder()
                .generator(g, new Adam(g.namedParameters(), config))
                .discriminator(d, new Adam(d.namedParameters(), config))
                .loss(loss)
                .latentDim(arch.latentDim())
                .data(new MixtureBatches(mixture, batch, rng, backend))
                .random(rng)
                .backend(backend)
                .ema(emaDecay);
        if (loss instanceof WassersteinLoss) {
            // a Wasserstein critic needs its Lipschitz constraint: WGAN-GP's penalty
            b.gradientPenalty(new GradientPenalty(rng));
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
