package io.gan4j.models;

import io.gan4j.core.backend.Device;
import io.gan4j.core.metrics.ModeCoverage;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proof of the training loop: with the non-saturating loss and the default settings, a Vanilla GAN
 * covers the 8-Gaussians ring (radius 2, sigma 0.02) with mostly high-quality samples. For scale:
 * VEEGAN reports 8 modes and 52.9 % high-quality samples, Unrolled GAN 7.6 and 35.6 %.
 *
 * <p>The seeds run side by side: these networks are too small for the CPU backend to spread one step
 * over both cores, so two runs at once finish sooner than one after the other (and the results do not
 * depend on it: the backend is deterministic whatever the threads).
 */
@Execution(ExecutionMode.CONCURRENT)
class EightGaussiansTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void defaultVanillaGanCoversTheRing(long seed) {
        ModeCoverage.Report r = MixtureExperiment.defaults(seed).run(Device.cpu(), null);
        System.out.println("8-Gaussians, non-saturating, default settings, seed " + seed + ": " + r);
        assertTrue(r.modesCovered() >= 7, "modes covered: " + r);
        assertTrue(r.highQualityFraction() >= 0.80, "high-quality samples: " + r);
    }
}
