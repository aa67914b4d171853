package io.gan4j.core.ops;

import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static io.gan4j.core.ops.OpsTesting.CHECK;
import static io.gan4j.core.ops.OpsTesting.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Matrix products: forward against the definition, first and second derivatives for every transpose combination. */
class MatMulGradTest {

    /** op(A) op(B) in double, from the stored (untransposed) layouts. */
    private static double[] naive(float[] a, float[] b, int batch, int m, int n, int k, boolean ta, boolean tb) {
        double[] c = new double[batch * m * n];
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        float av = ta ? a[t * m * k + p * m + i] : a[t * m * k + i * k + p];
                        float bv = tb ? b[t * k * n + j * k + p] : b[t * k * n + p * n + j];
                        s += (double) av * bv;
                    }
                    c[(t * m + i) * n + j] = s;
                }
            }
        }
        return c;
    }

    @Test
    void allTransposeCombinations2d() {
        int m = 3;
        int n = 5;
        int k = 4;
        long seed = 1;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = ta ? randn(seed++, k, m) : randn(seed++, m, k);
                Tensor b = tb ? randn(seed++, n, k) : randn(seed++, k, n);
                Tensor c = Ops.matmul(a, b, ta, tb);
                assertArrayEquals(new int[] {m, n}, c.shape());
                double[] ref = naive(a.toArray(), b.toArray(), 1, m, n, k, ta, tb);
                float[] got = c.toArray();
                for (int i = 0; i < ref.length; i++) {
                    assertEquals(ref[i], got[i], 1e-5);
                }
                String what = "matmul ta=" + ta + " tb=" + tb;
                CHECK.check(what, in -> Ops.matmul(in[0], in[1], ta, tb), a, b);
                // bilinear: the mixed second derivatives are the whole story
                CHECK.checkSecondOrder(what, in -> Ops.matmul(in[0], in[1], ta, tb), a, b);
                CHECK.checkSecondOrder(what + " tanh", in -> Ops.matmul(in[0], in[1], ta, tb).tanh(), a, b);
            }
        }
    }

    @Test
    void batched3d() {
        int batch = 2;
        int m = 3;
        int n = 1;
        int k = 5;
        long seed = 10;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = ta ? randn(seed++, batch, k, m) : randn(seed++, batch, m, k);
                Tensor b = tb ? randn(seed++, batch, n, k) : randn(seed++, batch, k, n);
                Tensor c = Ops.matmul(a, b, ta, tb);
                assertArrayEquals(new int[] {batch, m, n}, c.shape());
                double[] ref = naive(a.toArray(), b.toArray(), batch, m, n, k, ta, tb);
                float[] got = c.toArray();
                for (int i = 0; i < ref.length; i++) {
                    assertEquals(ref[i], got[i], 1e-5);
                }
                String what = "batched matmul ta=" + ta + " tb=" + tb;
                CHECK.check(what, in -> Ops.matmul(in[0], in[1], ta, tb), a, b);
                CHECK.checkSecondOrder(what, in -> Ops.matmul(in[0], in[1], ta, tb).square(), a, b);
            }
        }
        Tensor single = randn(20, 1, 1, 7);
        CHECK.check("batch 1 of 1 x 7 x 7", in -> Ops.matmul(in[0], in[1], false, false), single, randn(21, 1, 7, 7));
    }

    @Test
    void linear() {
        Tensor x = randn(30, 3, 7);
        Tensor w = randn(31, 0.3f, 5, 7);
        Tensor b = randn(32, 5);
        CHECK.check("linear", in -> Ops.linear(in[0], in[1], in[2]), x, w, b);
        CHECK.checkSecondOrder("linear", in -> Ops.linear(in[0], in[1], in[2]).tanh(), x, w, b);
        CHECK.check("linear no bias, batch 1", in -> Ops.linear(in[0], in[1], null), randn(33, 1, 7), w);
        // y = x W^T + b
        float[] y = Ops.linear(x, w, b).toArray();
        float[] xv = x.toArray();
        float[] wv = w.toArray();
        float[] bv = b.toArray();
        for (int i = 0; i < 3; i++) {
            for (int o = 0; o < 5; o++) {
                double s = bv[o];
                for (int j = 0; j < 7; j++) {
                    s += (double) xv[i * 7 + j] * wv[o * 7 + j];
                }
                assertEquals(s, y[i * 5 + o], 1e-5);
            }
        }
    }

    @Test
    void matmulVsNaiveOnOddSizes() {
        // sizes that do not divide any blocking of the kernel
        Tensor a = randn(40, 17, 33);
        Tensor b = randn(41, 33, 13);
        double[] ref = naive(a.toArray(), b.toArray(), 1, 17, 13, 33, false, false);
        float[] got = a.matmul(b).toArray();
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], got[i], 1e-4);
        }
    }
}
