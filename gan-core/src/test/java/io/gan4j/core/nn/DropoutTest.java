package io.gan4j.core.nn;

import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DropoutTest {
    @Test
    void trainingDropsAboutPAndScalesTheRest() {
        Dropout d = new Dropout(0.3f, new Generator(5));
        float[] y = d.forward(Tensor.ones(10000)).toArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / 0.7f, v, 1e-6f);
            }
        }
        assertEquals(3000, zeros, 150);       // ~3.3 standard deviations
    }

    @Test
    void evaluationIsTheIdentity() {
        Dropout d = new Dropout(0.5f, new Generator(5));
        d.eval();
        Tensor x = Tensor.randn(new Generator(1), 100);
        assertSame(x, d.forward(x));
    }

    @Test
    void sameSeedSameMask() {
        Tensor x = Tensor.ones(64);
        assertArrayEquals(new Dropout(0.5f, new Generator(8)).forward(x).toArray(),
                new Dropout(0.5f, new Generator(8)).forward(x).toArray());
    }

    @Test
    void gradientIsTheMask() {
        // a fresh generator per call gives the same mask every time, so finite differences apply
        io.gan4j.core.autograd.GradCheck.float32().check("Dropout",
                xs -> new Dropout(0.4f, new Generator(3)).forward(xs[0]), Tensor.randn(new Generator(2), 4, 5));
    }

    @Test
    void rejectsBadProbability() {
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1f, new Generator(1)));
    }
}
