package io.gan4j.core.metrics;

import io.gan4j.core.backend.Device;
import io.gan4j.core.data.LabeledImages;
import io.gan4j.core.data.Mnist;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassDiversityTest {

    @Test
    void meanPairwiseDistanceByHand() {
        // class 0: (0,0) (3,4) (0,8): distances 5, 8, 5, mean 6; class 1: one image, unknown; -1: left out
        float[] generated = {0, 0, 3, 4, 0, 8, 1, 1, 100, 100};
        int[] classes = {0, 0, 0, 1, -1};
        // real class 0: (0,0) (0,2), distance 2; class 1: (1,1) (1,2) (1,4): 1, 3, 2, mean 2
        float[] real = {0, 0, 0, 2, 1, 1, 1, 2, 1, 4};
        int[] labels = {0, 0, 1, 1, 1};
        ClassDiversity.Report r = ClassDiversity.evaluate(generated, classes, real, labels, 2, 2);
        assertEquals(6, r.generated()[0], 1e-12);
        assertEquals(2, r.real()[0], 1e-12);
        assertEquals(3, r.ratio(0), 1e-12);
        assertTrue(Double.isNaN(r.ratio(1)), "one image has no pairs");
        assertEquals(3, r.meanRatio(), 1e-12, "unknown classes do not count");
        assertArrayEquals(new int[] {3, 1}, r.counts());
        assertEquals("within-class diversity 3.00 of real digits' (per class [3.00, NaN])", r.toString());
    }

    @Test
    void realDigitsMatchThemselvesAndCopiesScoreZero() {
        LabeledImages digits = Mnist.bundled();
        int[] heldOut = IntStream.range(DigitClassifier.TRAIN_DIGITS, digits.size()).toArray();
        Tensor real = digits.images(Device.cpu(), heldOut);
        int[] labels = IntStream.of(heldOut).map(digits::label).toArray();
        ClassDiversity.Report same = ClassDiversity.againstHeldOutDigits(real, labels);
        for (int k = 0; k < DigitClassifier.CLASSES; k++) {
            assertEquals(1.0, same.ratio(k), 1e-12, "class " + k);
        }

        // the collapsed generator: every digit of a class is the same image
        int[] firsts = IntStream.range(0, DigitClassifier.CLASSES)
                .map(k -> IntStream.of(heldOut).filter(i -> digits.label(i) == k).findFirst().orElseThrow()).toArray();
        int[] copies = IntStream.range(0, 100).map(i -> firsts[i % DigitClassifier.CLASSES]).toArray();
        ClassDiversity.Report collapsed = ClassDiversity.againstHeldOutDigits(digits.images(Device.cpu(), copies),
                IntStream.of(copies).map(digits::label).toArray());
        assertEquals(0.0, collapsed.meanRatio(), 0.0);
        assertEquals(10, collapsed.counts()[3]);

        // half the held-out digits, drawn the same way, vary about as much as all of them
        int[] half = IntStream.range(0, heldOut.length / 2).map(i -> heldOut[2 * i]).toArray();
        double ratio = ClassDiversity.againstHeldOutDigits(digits.images(Device.cpu(), half),
                IntStream.of(half).map(digits::label).toArray()).meanRatio();
        assertEquals(1.0, ratio, 0.05);
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                ClassDiversity.evaluate(new float[5], new int[] {0, 0}, new float[4], new int[] {0, 0}, 2, 2));
        assertTrue(e.getMessage().contains("generated") && e.getMessage().contains("5 floats"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () ->
                ClassDiversity.evaluate(new float[4], new int[] {0, 1}, new float[4], new int[] {0, 2}, 2, 2));
        assertTrue(e.getMessage().contains("real image 1 has class 2"), e.getMessage());
        float[] bytes = new float[2 * 28 * 28];
        java.util.Arrays.fill(bytes, 255f);
        e = assertThrows(IllegalArgumentException.class, () -> ClassDiversity.againstHeldOutDigits(
                Tensor.of(Device.cpu(), bytes, 2, 1, 28, 28), new int[] {0, 1}));
        assertTrue(e.getMessage().startsWith("within-class diversity: pixels range over [255.0, 255.0]"), e.getMessage());
    }
}
