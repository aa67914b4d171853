package io.gan4j.core.nn;

import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static io.gan4j.core.nn.NnTesting.checkGradients;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchNormTest {
    private final Generator gen = new Generator(77);

    @Test
    void trainingUsesBatchStatisticsAndUpdatesRunningOnes() {
        int n = 8;
        int c = 3;
        Tensor x = Tensor.randn(Tensor.zeros(1).backend(), gen, 2f, 3f, n, c);
        float[] xs = x.toArray();
        BatchNorm1d bn = new BatchNorm1d(c);
        float[] y = bn.forward(x).toArray();
        float[] rm = bn.runningMean().toArray();
        float[] rv = bn.runningVar().toArray();
        for (int ch = 0; ch < c; ch++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += xs[i * c + ch];
            }
            mean /= n;
            double ss = 0;
            double ym = 0;
            double yss = 0;
            for (int i = 0; i < n; i++) {
                ss += Math.pow(xs[i * c + ch] - mean, 2);
                ym += y[i * c + ch];
            }
            ym /= n;
            for (int i = 0; i < n; i++) {
                yss += Math.pow(y[i * c + ch] - ym, 2);
            }
            assertEquals(0, ym, 1e-5, "normalised mean");
            assertEquals(1, yss / n, 1e-3, "normalised (biased) variance");
            assertEquals(0.9 * 0 + 0.1 * mean, rm[ch], 1e-5, "running mean, momentum 0.1");
            assertEquals(0.9 * 1 + 0.1 * ss / (n - 1), rv[ch], 1e-4, "running variance, unbiased");
        }
    }

    @Test
    void cumulativeAverageWeighsEveryBatchTheSameThenTheMomentumReturns() {
        int c = 2;
        BatchNorm2d bn = new BatchNorm2d(c);
        bn.forward(Tensor.randn(Tensor.zeros(1).backend(), gen, 9f, 1f, 4, c, 3, 3)); // statistics the reset must forget
        bn.startCumulativeAverage();
        double[] meanSum = new double[c];
        double[] varSum = new double[c];
        int batches = 3;
        for (int b = 0; b < batches; b++) {
            Tensor x = Tensor.randn(Tensor.zeros(1).backend(), gen, b - 1f, 1f + b, 5, c, 3, 3);
            float[] xs = x.toArray();
            bn.forward(x);
            for (int ch = 0; ch < c; ch++) {
                double[] v = channel(xs, 5, c, 9, ch);
                double mean = java.util.Arrays.stream(v).average().orElseThrow();
                meanSum[ch] += mean;
                varSum[ch] += java.util.Arrays.stream(v).map(e -> (e - mean) * (e - mean)).sum() / (v.length - 1);
            }
        }
        float[] rm = bn.runningMean().toArray();
        float[] rv = bn.runningVar().toArray();
        for (int ch = 0; ch < c; ch++) {
            assertEquals(meanSum[ch] / batches, rm[ch], 1e-5, "plain average of the batch means");
            assertEquals(varSum[ch] / batches, rv[ch], 1e-4, "plain average of the unbiased batch variances");
        }

        bn.stopCumulativeAverage();
        Tensor x = Tensor.randn(Tensor.zeros(1).backend(), gen, 0f, 1f, 5, c, 3, 3);
        float[] xs = x.toArray();
        bn.forward(x);
        double mean0 = java.util.Arrays.stream(channel(xs, 5, c, 9, 0)).average().orElseThrow();
        assertEquals(0.9 * rm[0] + 0.1 * mean0, bn.runningMean().toArray()[0], 1e-5, "momentum 0.1 again");
    }

    /** The values of channel {@code ch} of an (n, c, hw) array. */
    private static double[] channel(float[] xs, int n, int c, int hw, int ch) {
        double[] v = new double[n * hw];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < hw; j++) {
                v[i * hw + j] = xs[(i * c + ch) * hw + j];
            }
        }
        return v;
    }

    @Test
    void evaluationUsesRunningStatisticsAndLeavesThemAlone() {
        BatchNorm2d bn = new BatchNorm2d(2);
        bn.runningMean().backend().copy(Tensor.of(new float[] {1, -2}, 2).buffer(), 0, bn.runningMean().buffer(), 0, 2);
        bn.runningVar().backend().copy(Tensor.of(new float[] {4, 0.25f}, 2).buffer(), 0, bn.runningVar().buffer(), 0, 2);
        bn.setParameter("weight", Tensor.of(new float[] {2, 3}, 2));
        bn.setParameter("bias", Tensor.of(new float[] {0.5f, -1}, 2));
        bn.eval();
        Tensor x = Tensor.randn(gen, 2, 2, 2, 2);
        float[] xs = x.toArray();
        float[] y = bn.forward(x).toArray();
        float[] mean = {1, -2};
        float[] var = {4, 0.25f};
        float[] w = {2, 3};
        float[] b = {0.5f, -1};
        for (int i = 0; i < xs.length; i++) {
            int ch = (i / 4) % 2;
            double expected = (xs[i] - mean[ch]) / Math.sqrt(var[ch] + 1e-5) * w[ch] + b[ch];
            assertEquals(expected, y[i], 1e-4);
        }
        assertArrayEquals(mean, bn.runningMean().toArray());
        assertArrayEquals(var, bn.runningVar().toArray());
        // a single sample is fine in evaluation, not in training
        bn.forward(Tensor.zeros(1, 2, 1, 1));
        bn.train();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(1, 2, 1, 1)));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
    }

    @Test
    void gradientsInTrainingAndEvaluation() {
        BatchNorm2d bn = new BatchNorm2d(3);
        bn.setParameter("weight", Tensor.randn(gen, 3));
        bn.setParameter("bias", Tensor.randn(gen, 3));
        Tensor x = Tensor.randn(gen, 4, 3, 2, 2);
        checkGradients("BatchNorm2d train", bn, x);
        bn.eval();
        checkGradients("BatchNorm2d eval", bn, x);
        BatchNorm1d bn1 = new BatchNorm1d(3);
        checkGradients("BatchNorm1d train", bn1, Tensor.randn(gen, 5, 3));
        checkGradients("BatchNorm1d train [N, C, L]", bn1, Tensor.randn(gen, 2, 3, 4));
    }

    @Test
    void badInputNamesTheLayerAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm2d(3).forward(Tensor.zeros(2, 4, 2, 2)));
        assertTrue(e.getMessage().contains("BatchNorm2d(3, eps=1e-05") && e.getMessage().contains("expected input [N, 3, H, W], got [2, 4, 2, 2]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.zeros(2, 3, 2, 2)));
    }

    @Test
    void withoutAffineParameters() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5f, 0.1f, false);
        assertEquals(0, bn.parameterCount());
        assertEquals(java.util.List.of("running_mean", "running_var"), new java.util.ArrayList<>(bn.stateDict().keySet()));
        float[] y = bn.forward(Tensor.of(new float[] {1, 10, 3, 30}, 2, 2)).toArray();
        assertArrayEquals(new float[] {-1, -1, 1, 1}, y, 1e-3f);
    }
}
