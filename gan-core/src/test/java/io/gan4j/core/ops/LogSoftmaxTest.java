package io.gan4j.core.ops;

import io.gan4j.core.autograd.GradCheck;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogSoftmaxTest {

    /** log softmax of one row, in double, the obvious way (shifted by the maximum). */
    private static double[] reference(float[] row) {
        double m = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            m = Math.max(m, v);
        }
        double s = 0;
        for (float v : row) {
            s += Math.exp(v - m);
        }
        double[] out = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            out[i] = row[i] - m - Math.log(s);
        }
        return out;
    }

    @Test
    void matchesTheFormulaAlongTheLastAxis() {
        float[] x = Tensor.randn(new Generator(3), 4, 7).mul(3f).toArray();
        float[] y = LogSoftmax.apply(Tensor.of(x, 4, 7), 1).toArray();
        for (int r = 0; r < 4; r++) {
            float[] row = java.util.Arrays.copyOfRange(x, r * 7, r * 7 + 7);
            double[] ref = reference(row);
            double probSum = 0;
            for (int k = 0; k < 7; k++) {
                assertEquals(ref[k], y[r * 7 + k], 1e-5, "row " + r + " class " + k);
                probSum += Math.exp(y[r * 7 + k]);
            }
            assertEquals(1.0, probSum, 1e-5, "softmax row " + r + " sums to 1");
        }
    }

    @Test
    void worksAlongAnyAxisAndNegativeAxes() {
        Tensor x = Tensor.randn(new Generator(4), 2, 3, 5);
        float[] a = LogSoftmax.apply(x, 1).toArray();
        float[] b = LogSoftmax.apply(x, -2).toArray();
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
        float[] xs = x.toArray();
        // axis 1 of [2, 3, 5]: the column (n, *, w) holds elements n*15 + c*5 + w
        for (int n = 0; n < 2; n++) {
            for (int w = 0; w < 5; w++) {
                float[] col = new float[3];
                for (int c = 0; c < 3; c++) {
                    col[c] = xs[n * 15 + c * 5 + w];
                }
                double[] ref = reference(col);
                for (int c = 0; c < 3; c++) {
                    assertEquals(ref[c], a[n * 15 + c * 5 + w], 1e-5);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> LogSoftmax.apply(x, 3));
    }

    @Test
    void largeLogitsNeitherOverflowNorGiveLogZero() {
        float[] y = LogSoftmax.apply(Tensor.of(new float[] {1000f, 0f, -1000f, 1000f}, 1, 4), 1).toArray();
        for (float v : y) {
            assertFalse(Float.isNaN(v) || Float.isInfinite(v), "finite: " + java.util.Arrays.toString(y));
        }
        assertEquals(-Math.log(2), y[0], 1e-6);
        assertEquals(-1000 - Math.log(2), y[1], 1e-3);
        assertEquals(-2000 - Math.log(2), y[2], 1e-2);
        float[] p = LogSoftmax.softmax(Tensor.of(new float[] {1000f, 0f}, 1, 2), 1).toArray();
        assertEquals(1f, p[0], 1e-6);
        assertEquals(0f, p[1], 1e-6);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = Tensor.randn(new Generator(5), 3, 6);
        GradCheck.float32().check("logSoftmax axis 1", in -> LogSoftmax.apply(in[0], 1), x);
        GradCheck.float32().check("logSoftmax axis 0", in -> LogSoftmax.apply(in[0], 0), x);
        GradCheck.float32().check("softmax", in -> LogSoftmax.softmax(in[0], -1), x);
        Tensor x3 = Tensor.randn(new Generator(6), 2, 4, 3);
        GradCheck.float32().check("logSoftmax of rank 3, axis 1", in -> LogSoftmax.apply(in[0], 1), x3);
    }

    @Test
    void secondDerivativesMatchFiniteDifferences() {
        Tensor x = Tensor.randn(new Generator(7), 3, 5);
        GradCheck.float32().checkSecondOrder("logSoftmax", in -> LogSoftmax.apply(in[0], 1), x);
        GradCheck.float32().checkSecondOrder("softmax", in -> LogSoftmax.softmax(in[0], 1).square(), x);
    }

    @Test
    void noGradientIsRecordedForConstants() {
        Tensor y = LogSoftmax.apply(Tensor.randn(new Generator(8), 2, 3), 1);
        assertTrue(y.isLeaf());
        assertFalse(y.requiresGrad());
    }
}
