package io.gan4j.core.loss;

import io.gan4j.core.autograd.GradCheck;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrossEntropyTest {

    @Test
    void valueIsTheMeanNegativeLogProbabilityOfTheLabel() {
        float[] logits = {2f, 1f, 0.1f, -1f, 0.5f, 3f};
        Tensor l = Tensor.of(logits, 2, 3);
        Tensor y = Tensor.of(new float[] {0f, 2f}, 2);
        double row0 = -(2 - Math.log(Math.exp(2) + Math.exp(1) + Math.exp(0.1)));
        double row1 = -(3 - Math.log(Math.exp(-1) + Math.exp(0.5) + Math.exp(3)));
        assertEquals((row0 + row1) / 2, CrossEntropy.loss(l, y).item(), 1e-5);
        // uniform logits: ln K whatever the label
        assertEquals(Math.log(10), CrossEntropy.loss(Tensor.zeros(4, 10), Tensor.of(new float[] {0, 3, 9, 5}, 4)).item(), 1e-5);
    }

    @Test
    void confidentlyWrongLogitsGiveALargeFiniteLoss() {
        float v = CrossEntropy.loss(Tensor.of(new float[] {500f, -500f}, 1, 2), Tensor.of(new float[] {1f}, 1)).item();
        assertFalse(Float.isInfinite(v) || Float.isNaN(v));
        assertEquals(1000f, v, 1e-2);
    }

    @Test
    void gradientIsSoftmaxMinusOneHotOverN() {
        Tensor logits = Tensor.randn(new Generator(9), 3, 4).requiresGrad(true);
        Tensor labels = Tensor.of(new float[] {1f, 3f, 0f}, 3);
        CrossEntropy.loss(logits, labels).backward();
        float[] x = logits.detach().toArray();
        float[] g = logits.grad().toArray();
        int[] lab = {1, 3, 0};
        for (int r = 0; r < 3; r++) {
            double s = 0;
            for (int k = 0; k < 4; k++) {
                s += Math.exp(x[r * 4 + k]);
            }
            for (int k = 0; k < 4; k++) {
                double expected = (Math.exp(x[r * 4 + k]) / s - (k == lab[r] ? 1 : 0)) / 3;
                assertEquals(expected, g[r * 4 + k], 1e-6);
            }
        }
        assertTrue(labels.grad() == null);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor logits = Tensor.randn(new Generator(10), 5, 10).mul(2f);
        Tensor labels = Tensor.of(new float[] {0f, 9f, 4f, 4f, 7f}, 5);
        GradCheck.float32().check("crossEntropy", in -> CrossEntropy.loss(in[0], labels), logits);
        GradCheck.float32().checkSecondOrder("crossEntropy", in -> CrossEntropy.loss(in[0], labels), logits);
    }

    @Test
    void badShapesAndLabelsAreRejectedWithClearMessages() {
        Tensor logits = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CrossEntropy.loss(logits, Tensor.of(new float[] {0f, 3f}, 2)));
        assertTrue(e.getMessage().contains("label 1 is 3.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CrossEntropy.loss(logits, Tensor.of(new float[] {0f, 1.5f}, 2)));
        assertThrows(IllegalArgumentException.class, () -> CrossEntropy.loss(logits, Tensor.of(new float[] {0f, -1f}, 2)));
        assertThrows(IllegalArgumentException.class, () -> CrossEntropy.loss(logits, Tensor.of(new float[] {0f}, 1)));
        assertThrows(IllegalArgumentException.class, () -> CrossEntropy.loss(Tensor.zeros(6), Tensor.zeros(6)));
        assertArrayEquals(new int[] {}, CrossEntropy.loss(logits, Tensor.of(new float[] {0f, 2f}, 2)).shape());
    }
}
