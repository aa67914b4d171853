package io.gan4j.models;

import io.gan4j.core.loss.HingeLoss;
import io.gan4j.core.loss.WassersteinLoss;
import io.gan4j.core.nn.BatchNorm2d;
import io.gan4j.core.nn.Module;
import io.gan4j.core.nn.SpectralNorm;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.train.StepStats;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WGAN-GP on the DCGAN networks, and its hinge + spectral norm variant. */
class WganGpTest {

    @Test
    void recipeIsThePapers() {
        TrainingRecipe r = Models.wganGp().recipe();
        // Gulrajani et al. 2017, algorithm 1: lambda = 10, n_critic = 5, alpha = 1e-4, beta1 = 0, beta2 = 0.9
        assertInstanceOf(WassersteinLoss.class, r.loss());
        assertEquals(10f, r.gradientPenalty());
        assertEquals(5, r.nCritic());
        assertEquals(1e-4f, r.discriminatorOptimizer().lr());
        assertEquals(0f, r.discriminatorOptimizer().beta1());
        assertEquals(0.9f, r.discriminatorOptimizer().beta2());
        assertEquals(r.discriminatorOptimizer(), r.generatorOptimizer());
        assertFalse(r.reuseFakeBatch(), "algorithm 1 draws new noise for the generator step");
    }

    @Test
    void criticHasNoBatchNorm() {
        Module critic = Models.wganGp().discriminator(new Generator(1));
        assertTrue(critic.modules().stream().noneMatch(m -> m instanceof BatchNorm2d));
        // DCGAN-64's D (2,765,568) without its 3 batch norms (-1,792) and with a bias on the 3 convolutions
        // that had one (+128 + 256 + 512): 2,764,672
        assertEquals(2_764_672, critic.parameterCount());
        // the generator is DCGAN-64's, batch norm included
        assertEquals(3_576_704, Models.wganGp().generator(new Generator(1)).parameterCount());
    }

    @Test
    void hingeWithSpectralNormIsOneLine() {
        GanModel<Dcgan> sn = Models.wganGp().withArchitecture(a -> a.withNorm(DiscriminatorNorm.SPECTRAL_NORM))
                .withRecipe(r -> r.withLoss("hinge").withGradientPenalty(0));
        assertEquals(Models.snganHinge().architecture(), sn.architecture());
        assertEquals(Models.snganHinge().recipe().withLoss(sn.recipe().loss()), sn.recipe());   // losses have no equals
        assertInstanceOf(HingeLoss.class, sn.recipe().loss());
        Module d = sn.discriminator(new Generator(1));
        assertEquals(5, d.modules().stream().filter(m -> m instanceof SpectralNorm).count(), "every conv of D");
        assertTrue(d.stateDict().containsKey("main.0.weight_orig"), d.stateDict().keySet().toString());
    }

    @Test
    void trainsOnCpuWithoutNaN() {
        GanModel<Dcgan> tiny = Models.wganGp().withArchitecture(a -> a.withImageSize(16).withWidth(8));
        List<StepStats> stats = TrainingProbe.trainAndCheck(tiny, 3,
                rng -> TrainingProbe.batches(TrainingProbe.randomImages(64, 3, 16, 1, 2), 8, 0, rng));
        assertTrue(stats.stream().allMatch(s -> s.penalty() > 0), "the gradient penalty is on: " + stats);
    }

    @Test
    void hingeVariantTrainsOnCpuWithoutNaN() {
        GanModel<Dcgan> tiny = Models.snganHinge().withArchitecture(a -> a.withImageSize(16).withWidth(8));
        TrainingProbe.trainAndCheck(tiny, 3,
                rng -> TrainingProbe.batches(TrainingProbe.randomImages(64, 3, 16, 1, 3), 8, 0, rng));
    }
}
