package io.gan4j.core.train;

import io.gan4j.core.backend.Device;
import io.gan4j.core.nn.Linear;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExponentialMovingAverageTest {

    /** Sets every weight of the layer to {@code v}. */
    private static void fill(Linear layer, float v) {
        for (Tensor p : layer.parameters()) {
            float[] a = new float[(int) p.numel()];
            java.util.Arrays.fill(a, v);
            Tensor src = Tensor.of(p.backend(), a, p.shape());
            p.backend().copy(src.buffer(), 0, p.buffer(), 0, p.numel());
        }
    }

    @Test
    void warmUpFollowsTheWeightsThenTheFullHorizonApplies() {
        assertEquals(2f / 11f, new ExponentialMovingAverage(new Linear(2, 2, new Generator(1)), 0.999f).decayAt(1), 1e-7);
        Linear layer = new Linear(3, 2, new Generator(1));
        fill(layer, 0f);
        try (ExponentialMovingAverage ema = new ExponentialMovingAverage(layer, 0.999f)) {
            fill(layer, 1f);
            ema.update(1);
            // d = 2/11: the average moves 9/11 of the way to the new weights, not 0.1 %
            for (Tensor t : ema.stateDict().values()) {
                for (float v : t.toArray()) {
                    assertEquals(9f / 11f, v, 1e-6);
                }
            }
            assertEquals(0.999f, ema.decayAt(1_000_000), 0f);
            assertEquals((1 + 50.0) / (10 + 50.0), ema.decayAt(50), 1e-6);
        }
    }

    @Test
    void fullHorizonUpdateIsTheTextbookAverage() {
        Linear layer = new Linear(3, 2, new Generator(2));
        fill(layer, 2f);
        try (ExponentialMovingAverage ema = new ExponentialMovingAverage(layer, 0.9f)) {
            fill(layer, 4f);
            ema.update(10_000);
            for (Tensor t : ema.stateDict().values()) {
                for (float v : t.toArray()) {
                    assertEquals(0.9f * 2f + 0.1f * 4f, v, 1e-6);
                }
            }
        }
    }

    @Test
    void batchNormStatisticsAreMeasuredWithTheAveragedWeightsOnly() {
        Generator gen = new Generator(4);
        Linear layer = new Linear(3, 2, gen);
        fill(layer, 1f);
        io.gan4j.core.nn.BatchNorm1d norm = new io.gan4j.core.nn.BatchNorm1d(2);
        io.gan4j.core.nn.Sequential net = new io.gan4j.core.nn.Sequential(layer, norm);
        try (ExponentialMovingAverage ema = new ExponentialMovingAverage(net, 0.9f)) {
            fill(layer, 3f); // the trained weights move on; the average stays at 1
            Tensor x = Tensor.ones(Device.cpu(), 5, 3);
            int[] runs = {0};
            assertEquals(true, ema.recomputeBatchNormStatistics(2, () -> {
                runs[0]++;
                net.forward(x);
            }));
            assertEquals(2, runs[0]);
            // every input is ones, so the averaged layer outputs 3 * 1 + 1 = 4 everywhere: mean 4, variance 0
            for (float v : ema.stateDict().get("1.running_mean").toArray()) {
                assertEquals(4f, v, 1e-6);
            }
            for (float v : ema.stateDict().get("1.running_var").toArray()) {
                assertEquals(0f, v, 1e-6);
            }
            assertEquals(0f, norm.runningMean().toArray()[0], "the trained network keeps its statistics");
            assertEquals(3f, layer.weight().toArray()[0], "and its weights");
            assertThrows(IllegalArgumentException.class, () -> ema.recomputeBatchNormStatistics(0, () -> { }));
        }
        try (ExponentialMovingAverage plain = new ExponentialMovingAverage(layer, 0.9f)) {
            assertEquals(false, plain.recomputeBatchNormStatistics(1, () -> { throw new AssertionError("ran"); }));
        }
    }

    @Test
    void decayOutsideTheUnitIntervalIsRefused() {
        Linear layer = new Linear(1, 1, new Generator(3));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(layer, 1f));
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(layer, -0.1f));
    }
}
