package io.gan4j.core.metrics;

import io.gan4j.core.backend.Device;
import io.gan4j.core.data.LabeledImages;
import io.gan4j.core.data.Mnist;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigitQualityTest {
    private static final int N = 500;
    private static LabeledImages mnist;
    private static DigitClassifier classifier;
    private static Tensor heldOut;        // the last 500 digits: never seen by the classifier
    private static int[] heldOutLabels;

    @BeforeAll
    static void load() {
        mnist = Mnist.bundled();
        classifier = DigitClassifier.bundled();
        int[] idx = DigitClassifier.range(mnist.size() - N, mnist.size());
        heldOut = mnist.images(Device.current(), idx);
        heldOutLabels = new int[N];
        for (int i = 0; i < N; i++) {
            heldOutLabels[i] = mnist.label(idx[i]);
        }
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    @Test
    void realDigitsAreConfidentAndCoverAllClasses() {
        DigitQuality.Report r = DigitQuality.evaluate(classifier, heldOut);
        assertEquals(N, r.n());
        assertTrue(r.confidentShare() >= 0.9, r.toString());
        assertEquals(10, r.classesFound(), r.toString());
        assertTrue(r.meets(0.8, 10), r.toString());
        assertEquals(N, Arrays.stream(r.predictedPerClass()).sum());
        assertEquals(Math.round(r.confidentShare() * N), Arrays.stream(r.confidentPerClass()).sum());
        assertFalse(r.hasRequestedLabels());
        // even at 2 % of n per class, every class of real digits is found
        assertEquals(10, DigitQuality.evaluate(classifier, heldOut, null, N / 50).classesFound());
    }

    @Test
    void noiseIsNotRecognised() {
        Tensor noise = Tensor.rand(Device.current(), new Generator(11), -1f, 1f, N, 1, 28, 28);
        DigitQuality.Report r = DigitQuality.evaluate(classifier, noise);
        assertTrue(r.confidentShare() < 0.5 || r.classesFound() <= 3, r.toString());
        assertFalse(r.meets(0.8, 10), r.toString());
        // a blank canvas, as a collapsed generator might draw, is at most one class
        DigitQuality.Report blank = DigitQuality.evaluate(classifier, Tensor.full(-1f, N, 1, 28, 28));
        assertTrue(blank.classesFound() <= 1, blank.toString());
    }

    @Test
    void aCollapsedGeneratorFindsOneClass() {
        // 500 copies of one real digit: confident, but one class
        float[] one = mnist.images(Device.current(), new int[] {mnist.size() - 1}).toArray();
        float[] many = new float[N * one.length];
        for (int i = 0; i < N; i++) {
            System.arraycopy(one, 0, many, i * one.length, one.length);
        }
        DigitQuality.Report r = DigitQuality.evaluate(classifier, Tensor.of(many, N, 1, 28, 28));
        assertEquals(1, r.classesFound(), r.toString());
        assertFalse(r.meets(0.8, 10));
    }

    @Test
    void requestedLabelsMatchOnRealDigitsAndNotWhenShuffled() {
        DigitQuality.Report r = DigitQuality.evaluate(classifier, heldOut, heldOutLabels);
        assertTrue(r.hasRequestedLabels());
        assertTrue(r.requestedShare() >= 0.95, r.toString());
        int[] shuffled = heldOutLabels.clone();
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        DigitQuality.Report s = DigitQuality.evaluate(classifier, heldOut, shuffled);
        assertTrue(s.requestedShare() < 0.25, s.toString());
        assertEquals(r.confidentShare(), s.confidentShare(), "labels do not change the confident share");
    }

    @Test
    void theMetricFromProbabilities() {
        float[] p = {
            0.95f, 0.05f, 0f,      // class 0, confident
            0.2f, 0.7f, 0.1f,      // class 1, not confident
            0f, 0.1f, 0.9f,        // class 2, confident (the bound is inclusive)
            0.05f, 0.05f, 0.9f,    // class 2, confident
            Float.NaN, 0f, 0f,     // diverged: nothing
        };
        DigitQuality.Report r = DigitQuality.fromProbabilities(p, 3, new int[] {0, 1, 1, 2, 0}, 1);
        assertEquals(5, r.n());
        assertEquals(0.6, r.confidentShare(), 1e-12);
        assertArrayEquals(new int[] {1, 0, 2}, r.confidentPerClass());
        assertArrayEquals(new int[] {1, 1, 2}, r.predictedPerClass());
        assertEquals(2, r.classesFound());
        assertEquals(0.6, r.requestedShare(), 1e-12);
        assertEquals(1, DigitQuality.fromProbabilities(p, 3, null, 2).classesFound());
        assertEquals("confident (p >= 0.9) 60.0 %, classes found 2/3, confident per class [1, 0, 2], "
                + "requested digit 60.0 % (n=5)", r.toString());
        assertEquals("confident (p >= 0.9) 60.0 %, classes found 1/3 (>= 2 each), confident per class [1, 0, 2] (n=5)",
                DigitQuality.fromProbabilities(p, 3, null, 2).toString());
        // the report's arrays are copies
        r.confidentPerClass()[0] = 99;
        assertEquals(1, r.confidentPerClass()[0]);
    }

    @Test
    void badInputsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DigitQuality.fromProbabilities(new float[7], 3, null, 1));
        assertThrows(IllegalArgumentException.class, () -> DigitQuality.fromProbabilities(new float[6], 3, new int[1], 1));
        assertThrows(IllegalArgumentException.class, () -> DigitQuality.fromProbabilities(new float[6], 3, new int[] {0, 3}, 1));
        assertThrows(IllegalArgumentException.class, () -> DigitQuality.fromProbabilities(new float[6], 3, null, 0));
        // pixels in [0, 255] would be misjudged: refused
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DigitQuality.evaluate(classifier, Tensor.full(255f, 2, 1, 28, 28)));
        assertTrue(e.getMessage().contains("[-1, 1]"), e.getMessage());
    }
}
