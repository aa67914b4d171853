package io.gan4j.core.backend.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The branch-free activations equal their textbook definitions, edge values included. */
class CpuActivationsTest {
    private static final float[] VALUES = {-3.5f, -1f, -1e-30f, -0f, 0f, 1e-30f, 0.5f, 7f,
        Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -Float.MAX_VALUE, Float.MAX_VALUE, Float.MIN_VALUE};

    @Test
    void matchTheirDefinitions() {
        for (float a : new float[] {0f, 0.01f, 0.2f, 0.25f}) {
            for (float x : VALUES) {
                assertEquals(x > 0 ? x : 0f, CpuElementwise.relu(x), 0f, "relu " + x);
                assertEquals(x > 0 ? x : a * x, CpuElementwise.leakyRelu(x, a), 0f, "leaky relu " + x + ", " + a);
                assertEquals(x > 0 ? 1f : a, CpuElementwise.step(x, a), 0f, "step " + x + ", " + a);
            }
        }
    }

    @Test
    void nanPropagatesThroughTheActivations() {
        assertTrue(Float.isNaN(CpuElementwise.relu(Float.NaN)));
        assertTrue(Float.isNaN(CpuElementwise.leakyRelu(Float.NaN, 0.2f)));
    }
}
