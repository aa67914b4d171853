package io.gan4j.models;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.latent.GaussianMixturePrior;
import io.gan4j.core.latent.LatentPrior;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.train.BatchSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry: names, defaults, one-line changes. */
class ModelsTest {

    @Test
    void everyNameGivesItsModel() {
        assertEquals(List.of("vanilla", "dcgan-mnist", "dcgan-64", "cgan-mnist", "cgan-mnist-concat", "wgan-gp",
                "sngan-hinge", "srgan"), Models.names());
        for (String name : Models.names()) {
            assertEquals(name, Models.get(name).name());
        }
        assertEquals(Models.dcgan64().architecture(), Models.get("DCGAN-64").architecture());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.get("stylegan"));
        assertTrue(e.getMessage().contains("dcgan-64"), e.getMessage());
    }

    @Test
    void dcganRecipeIsThePapers() {
        TrainingRecipe r = Models.dcgan64().recipe();
        // Radford et al. 2016, section 4: Adam, lr 0.0002, beta1 0.5
        assertEquals("non-saturating", r.loss().name());
        assertEquals(2e-4f, r.generatorOptimizer().lr());
        assertEquals(0.5f, r.generatorOptimizer().beta1());
        assertEquals(r.generatorOptimizer(), r.discriminatorOptimizer());
        assertEquals(1, r.nCritic());
        // the PyTorch DCGAN example's loop: the G step trains on the batch the D step generated
        assertTrue(r.reuseFakeBatch());
        assertFalse(r.withReuseFakeBatch(false).reuseFakeBatch());
    }

    @Test
    void hyperParametersChangeInOneLine() {
        GanModel<Dcgan> m = Models.dcgan64().withArchitecture(a -> a.withImageSize(32)).withRecipe(r -> r.withLr(1e-4f).withNCritic(2));
        assertEquals(32, m.architecture().imageSize());
        assertEquals(1e-4f, m.recipe().discriminatorOptimizer().lr());
        assertEquals(0.5f, m.recipe().discriminatorOptimizer().beta1(), "betas kept");
        assertEquals(2, m.recipe().nCritic());
        assertEquals(64, Models.dcgan64().architecture().imageSize(), "the registry's model is unchanged");
        assertThrows(IllegalArgumentException.class, () -> Models.dcgan64().withRecipe(r -> r.withNCritic(0)));
    }

    @Test
    void theNoisePriorIsTheNormalUnlessTheRecipeAsksForAMixture() {
        Backend cpu = Device.cpu();
        GanModel<?> dcgan = Models.get("dcgan-mnist");
        assertEquals(0, dcgan.recipe().latentComponents(), "the papers draw z from N(0, I)");
        BatchSource digits = TrainingProbe.batches(TrainingProbe.mnist(32), 8, 0, new Generator(1));
        assertEquals("N(0, I_100)", dcgan.trainer(new Generator(1), cpu, digits).build().latentPrior().toString());
        LatentPrior mixture = dcgan.withRecipe(r -> r.withLatentComponents(200))
                .trainer(new Generator(1), cpu, digits).build().latentPrior();
        assertTrue(mixture instanceof GaussianMixturePrior m && m.components() == 200
                && m.dim() == 100, mixture.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dcgan.withRecipe(r -> r.withLatentComponents(-1)));
        assertTrue(e.getMessage().contains("latent mixture components"), e.getMessage());
    }

    @Test
    void srganIsNotANoiseModel() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Models.srgan().trainer(new Generator(1), Device.cpu(), null));
        assertTrue(e.getMessage().contains("SrganTrainingStep"), e.getMessage());
    }

    @Test
    void vanillaTrainsOnFlattenedDigits() {
        GanModel<VanillaGan> tiny = Models.vanilla().withArchitecture(a -> a.withHidden(64));
        assertSame(VanillaGan.class, tiny.architecture().getClass());
        TrainingProbe.trainAndCheck(tiny, 5,
                rng -> new FlattenedBatches(TrainingProbe.batches(TrainingProbe.mnist(64), 16, 0, rng)));
    }
}
