package io.gan4j.core.latent;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianMixturePriorTest {
    private static final Backend CPU = Device.cpu();

    @Test
    void everySampleSitsOnOneComponentAndTheComponentsAreDrawnEvenly() {
        int dim = 100, k = 20, n = 4000;
        GaussianMixturePrior prior = new GaussianMixturePrior(dim, k);
        float[] z = prior.sample(CPU, new Generator(3), n).toArray();
        long[] counts = new long[k];
        double expected = prior.spread() * Math.sqrt(dim);
        for (int i = 0; i < n; i++) {
            double nearest = Double.MAX_VALUE, second = Double.MAX_VALUE;
            int which = -1;
            for (int c = 0; c < k; c++) {
                float[] centre = prior.centre(c);
                double d2 = 0;
                for (int j = 0; j < dim; j++) {
                    double d = z[i * dim + j] - centre[j];
                    d2 += d * d;
                }
                double d = Math.sqrt(d2);
                if (d < nearest) {
                    second = nearest;
                    nearest = d;
                    which = c;
                } else if (d < second) {
                    second = d;
                }
            }
            // spread * sqrt(dim) from its own centre (spread times a chi with 100 degrees of freedom, whose SD is
            // 0.71 against a mean of 10: 40 % is 5.6 SD), and far from every other: the support is disconnected
            assertEquals(expected, nearest, 0.4 * expected, "sample " + i + ": distance to its centre");
            assertTrue(second > 1.5 * nearest, "sample " + i + ": " + nearest + " from one centre, " + second
                    + " from the next");
            counts[which]++;
        }
        double[] even = new double[k];
        Arrays.fill(even, (double) n / k);
        assertFalse(new ChiSquareTest().chiSquareTest(even, counts, 1e-4), "components drawn unevenly: "
                + Arrays.toString(counts));
    }

    @Test
    void eachCoordinateHasAboutUnitVarianceAsUnderTheStandardNormal() {
        int dim = 100, n = 20000;
        float[] z = new GaussianMixturePrior(dim, 200).sample(CPU, new Generator(4), n).toArray();
        double sum = 0, squares = 0;
        for (float v : z) {
            sum += v;
            squares += v * v;
        }
        double mean = sum / z.length;
        double variance = squares / z.length - mean * mean;
        assertEquals(0, mean, 0.05);
        assertEquals(1, variance, 0.1);
    }

    @Test
    void samplesDependOnlyOnTheRunsGeneratorWhichAdvances() {
        GaussianMixturePrior a = new GaussianMixturePrior(8, 5), b = new GaussianMixturePrior(8, 5);
        Generator rng = new Generator(7);
        float[] first = a.sample(CPU, rng, 6).toArray();
        assertArrayEquals(first, b.sample(CPU, new Generator(7), 6).toArray(), "same state, same samples");
        assertFalse(Arrays.equals(first, a.sample(CPU, rng, 6).toArray()), "the generator advanced");
        assertArrayEquals(a.centre(4), b.centre(4), "centres come from their own seed");
        assertFalse(Arrays.equals(a.centre(4), new GaussianMixturePrior(8, 5, 0.5f, 1).centre(4)));
        assertEquals(a.toString(), b.toString());
        assertFalse(a.toString().equals(new GaussianMixturePrior(8, 6).toString()));
    }

    @Test
    void theGaussianPriorDrawsWhatTensorRandnDraws() {
        // runs on N(0, I) from before the priors existed continue with the same numbers
        assertArrayEquals(Tensor.randn(CPU, new Generator(5), 0f, 1f, 3, 10).toArray(),
                LatentPrior.gaussian(10).sample(CPU, new Generator(5), 3).toArray());
        assertEquals(LatentPrior.gaussian(10).toString(), LatentPrior.of(10, 0).toString());
        assertEquals("N(0, I_10)", LatentPrior.gaussian(10).toString());
    }

    @Test
    void badSettingsAreRefusedWithWhatWasExpected() {
        for (int[] bad : new int[][] {{0, 3}, {10, 0}, {10, -1}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new GaussianMixturePrior(bad[0], bad[1]));
            assertTrue(e.getMessage().contains("components >= 1"), e.getMessage());
        }
        for (float spread : new float[] {0f, 1f, Float.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new GaussianMixturePrior(10, 3, spread, 1));
            assertTrue(e.getMessage().contains("0 < spread < 1"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> LatentPrior.gaussian(0));
    }
}
