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
                assertEquals(x > 0 ? x : 0f, ScalarElementwiseKernels.relu(x), 0f, "relu " + x);
                assertEquals(x > 0 ? x : a * x, ScalarElementwiseKernels.leakyRelu(x, a), 0f, "leaky relu " + x + ", " + a);
                assertEquals(x > 0 ? 1f : a, ScalarElementwiseKernels.step(x, a), 0f, "step " + x + ", " + a);
            }
        }
    }

    @Test
    void nanPropagatesThroughTheActivations() {
        assertTrue(Float.isNaN(ScalarElementwiseKernels.relu(Float.NaN)));
        assertTrue(Float.isNaN(ScalarElementwiseKernels.leakyRelu(Float.NaN, 0.2f)));
        // the step is 1 for NaN of either sign, as the CUDA kernels' stepf
        assertEquals(1f, ScalarElementwiseKernels.step(Float.NaN, 0.2f), 0f);
        assertEquals(1f, ScalarElementwiseKernels.step(Float.intBitsToFloat(0xffc00000), 0.2f), 0f);
    }
}
