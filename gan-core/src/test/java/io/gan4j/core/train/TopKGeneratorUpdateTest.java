package io.gan4j.core.train;

import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopKGeneratorUpdateTest {

    @Test
    void kStartsAtTheWholeBatchAndDecaysToNu() {
        TopKGeneratorUpdate topK = new TopKGeneratorUpdate(0.99f, 25, 0.5f);
        assertEquals(16, topK.k(1, 16), "every sample counts at the first step");
        assertEquals(16, topK.k(25, 16), "no decay within the first interval");
        assertEquals(15, topK.k(26 + 25 * 6, 16), "0.99^7 * 16 = 14.9, rounded up");
        assertEquals(8, topK.k(1 + 25 * 69, 16), "0.99^69 < 0.5: nu");
        assertEquals(8, topK.k(1_000_000, 16), "never below nu * n");
        assertEquals(1, new TopKGeneratorUpdate(0.5f, 1, 0.01f).k(100, 16), "at least one sample");
    }

    @Test
    void onlyTheRowsTheDiscriminatorRatesHighestGetGradient() {
        TopKGeneratorUpdate topK = new TopKGeneratorUpdate(0.5f, 1, 0.5f);
        Tensor logits = Tensor.of(new float[] {0.3f, -2f, 1.5f, 0.7f, -0.1f, 2f}, 6, 1).requiresGrad(true);
        Tensor kept = topK.select(logits, 2);
        assertArrayEquals(new float[] {1.5f, 0.7f, 2f}, kept.toArray(), "the 3 highest, in batch order");
        kept.mul(Tensor.of(new float[] {1f, 2f, 3f}, 3, 1)).sum().backward();
        assertArrayEquals(new float[] {0f, 0f, 1f, 2f, 0f, 3f}, logits.grad().toArray());
    }

    @Test
    void theFirstStepKeepsTheLogitsThemselves() {
        Tensor logits = Tensor.randn(new Generator(1), 8, 1);
        assertSame(logits, new TopKGeneratorUpdate(0.5f, 1, 0.5f).select(logits, 1));
    }

    @Test
    void badSettingsAndShapesAreRefusedByName() {
        String gamma = assertThrows(IllegalArgumentException.class, () -> new TopKGeneratorUpdate(1.5f, 1, 0.5f))
                .getMessage();
        assertTrue(gamma.contains("gamma") && gamma.contains("1.5"), gamma);
        String every = assertThrows(IllegalArgumentException.class, () -> new TopKGeneratorUpdate(0.99f, 0, 0.5f))
                .getMessage();
        assertTrue(every.contains("decay interval") && every.contains("0"), every);
        String nu = assertThrows(IllegalArgumentException.class, () -> new TopKGeneratorUpdate(0.99f, 1, 0f))
                .getMessage();
        assertTrue(nu.contains("nu") && nu.contains("0.0"), nu);
        String shape = assertThrows(IllegalArgumentException.class,
                () -> new TopKGeneratorUpdate(0.5f, 1, 0.5f).select(Tensor.zeros(4, 2), 3)).getMessage();
        assertTrue(shape.contains("[4, 2]"), shape);
    }
}
