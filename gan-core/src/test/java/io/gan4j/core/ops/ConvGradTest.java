package io.gan4j.core.ops;

import io.gan4j.core.backend.ConvGeometry;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static io.gan4j.core.ops.OpsTesting.CHECK;
import static io.gan4j.core.ops.OpsTesting.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Convolution, transposed convolution and the filter gradient: forward against the definition, first
 * derivatives over strides, paddings, output paddings, batch 1 and odd or non-square sizes, the layer
 * geometries of dcgan-mnist, and second derivatives (the three ops are each other's derivatives).
 */
class ConvGradTest {

    /** PyTorch's conv2d (cross-correlation) in double. */
    static double[] naiveConv(float[] x, float[] w, int n, int c, int h, int wd, int k, int r, int s, int stride,
                              int pad) {
        int p = (h + 2 * pad - r) / stride + 1;
        int q = (wd + 2 * pad - s) / stride + 1;
        double[] y = new double[n * k * p * q];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < k; o++) {
                for (int i = 0; i < p; i++) {
                    for (int j = 0; j < q; j++) {
                        double acc = 0;
                        for (int ch = 0; ch < c; ch++) {
                            for (int u = 0; u < r; u++) {
                                for (int v = 0; v < s; v++) {
                                    int ih = i * stride - pad + u;
                                    int iw = j * stride - pad + v;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < wd) {
                                        acc += (double) x[((b * c + ch) * h + ih) * wd + iw] * w[((o * c + ch) * r + u) * s + v];
                                    }
                                }
                            }
                        }
                        y[((b * k + o) * p + i) * q + j] = acc;
                    }
                }
            }
        }
        return y;
    }

    /** PyTorch's conv_transpose2d in double, by scattering each input pixel; weight [in, out, r, s]. */
    static double[] naiveConvTranspose(float[] x, float[] w, int n, int cin, int h, int wd, int cout, int r, int s,
                                       int stride, int pad, int outPad) {
        int oh = (h - 1) * stride - 2 * pad + r + outPad;
        int ow = (wd - 1) * stride - 2 * pad + s + outPad;
        double[] y = new double[n * cout * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int ci = 0; ci < cin; ci++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        double xv = x[((b * cin + ci) * h + i) * wd + j];
                        for (int co = 0; co < cout; co++) {
                            for (int u = 0; u < r; u++) {
                                for (int v = 0; v < s; v++) {
                                    int yh = i * stride - pad + u;
                                    int yw = j * stride - pad + v;
                                    if (yh >= 0 && yh < oh && yw >= 0 && yw < ow) {
                                        y[((b * cout + co) * oh + yh) * ow + yw] += xv * w[((ci * cout + co) * r + u) * s + v];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    private static void assertClose(double[] expected, Tensor actual, double tol) {
        float[] got = actual.toArray();
        assertEquals(expected.length, got.length, "element count");
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], got[i], tol * (1 + Math.abs(expected[i])), "element " + i);
        }
    }

    @Test
    void forwardMatchesTheDefinition() {
        long seed = 1;
        for (int stride = 1; stride <= 2; stride++) {
            for (int pad = 0; pad <= 2; pad++) {
                int n = 1 + (int) (seed % 2);
                Tensor x = randn(seed++, n, 3, 7, 6);
                Tensor w = randn(seed++, 4, 3, 3, 2);
                Tensor y = Ops.conv2d(x, w, stride, pad);
                int p = (7 + 2 * pad - 3) / stride + 1;
                int q = (6 + 2 * pad - 2) / stride + 1;
                assertArrayEquals(new int[] {n, 4, p, q}, y.shape());
                assertClose(naiveConv(x.toArray(), w.toArray(), n, 3, 7, 6, 4, 3, 2, stride, pad), y, 1e-5);
                for (int outPad = 0; outPad < stride; outPad++) {
                    Tensor wt = randn(seed++, 3, 2, 3, 3);
                    Tensor yt = Ops.convTranspose2d(x, wt, stride, pad, outPad);
                    int oh = (7 - 1) * stride - 2 * pad + 3 + outPad;
                    int ow = (6 - 1) * stride - 2 * pad + 3 + outPad;
                    assertArrayEquals(new int[] {n, 2, oh, ow}, yt.shape());
                    assertClose(naiveConvTranspose(x.toArray(), wt.toArray(), n, 3, 7, 6, 2, 3, 3, stride, pad, outPad),
                            yt, 1e-5);
                }
            }
        }
    }

    @Test
    void convolutionFirstOrder() {
        long seed = 100;
        int[][] cases = {
            // n, c, h, w, k, r, s, stride, pad
            {1, 1, 5, 5, 1, 3, 3, 1, 0},
            {2, 3, 7, 6, 4, 3, 3, 1, 1},
            {1, 2, 7, 7, 3, 5, 5, 2, 2},
            {2, 2, 6, 5, 3, 4, 4, 2, 1},
            {3, 2, 5, 7, 2, 3, 2, 2, 0},
            {1, 3, 4, 4, 2, 1, 1, 2, 0},
            {2, 1, 3, 3, 2, 3, 3, 1, 2},
        };
        for (int[] cs : cases) {
            Tensor x = randn(seed++, cs[0], cs[1], cs[2], cs[3]);
            Tensor w = randn(seed++, 0.4f, cs[4], cs[1], cs[5], cs[6]);
            String what = "conv2d " + java.util.Arrays.toString(cs);
            CHECK.check(what, in -> Ops.conv2d(in[0], in[1], cs[7], cs[8]), x, w);
        }
    }

    @Test
    void transposedConvolutionFirstOrder() {
        long seed = 200;
        int[][] cases = {
            // n, cin, h, w, cout, r, s, stride, pad, outPad
            {1, 1, 3, 3, 1, 3, 3, 1, 0, 0},
            {2, 3, 4, 5, 2, 3, 3, 1, 1, 0},
            {1, 2, 4, 4, 3, 5, 5, 2, 2, 1},
            {2, 2, 3, 5, 2, 4, 4, 2, 1, 0},
            {1, 3, 3, 3, 2, 3, 2, 2, 0, 1},
            {2, 2, 5, 3, 1, 5, 5, 2, 2, 0},
        };
        for (int[] cs : cases) {
            Tensor x = randn(seed++, cs[0], cs[1], cs[2], cs[3]);
            Tensor w = randn(seed++, 0.4f, cs[1], cs[4], cs[5], cs[6]);
            String what = "conv_transpose2d " + java.util.Arrays.toString(cs);
            CHECK.check(what, in -> Ops.convTranspose2d(in[0], in[1], cs[7], cs[8], cs[9]), x, w);
        }
    }

    @Test
    void filterGradFirstAndSecondOrder() {
        Tensor x = randn(300, 2, 3, 7, 6);
        Tensor w = randn(301, 4, 3, 3, 3);
        for (int[] sp : new int[][] {{1, 0}, {2, 1}, {2, 2}}) {
            ConvGeometry g = Convolution.geometry(x, w, sp[0], sp[0], sp[1], sp[1]);
            Tensor dy = randn(302, g.n(), g.k(), g.p(), g.q());
            String what = "conv2d filter grad stride " + sp[0] + " pad " + sp[1];
            CHECK.check(what, in -> ConvolutionFilterGrad.apply(in[0], in[1], g), x, dy);
            CHECK.checkSecondOrder(what, in -> ConvolutionFilterGrad.apply(in[0], in[1], g).square(), x, dy);
        }
    }

    @Test
    void secondOrder() {
        Tensor x = randn(400, 2, 2, 5, 6);
        Tensor w = randn(401, 0.4f, 3, 2, 3, 3);
        for (int[] sp : new int[][] {{1, 1}, {2, 0}, {2, 2}}) {
            String what = "conv2d stride " + sp[0] + " pad " + sp[1];
            CHECK.checkSecondOrder(what, in -> Ops.conv2d(in[0], in[1], sp[0], sp[1]), x, w);
            CHECK.checkSecondOrder(what + " squared", in -> Ops.conv2d(in[0], in[1], sp[0], sp[1]).square(), x, w);
        }
        Tensor xt = randn(402, 1, 3, 4, 3);
        Tensor wt = randn(403, 0.4f, 3, 2, 3, 3);
        for (int[] spo : new int[][] {{1, 1, 0}, {2, 1, 1}, {2, 0, 0}}) {
            String what = "conv_transpose2d stride " + spo[0] + " pad " + spo[1] + " outPad " + spo[2];
            CHECK.checkSecondOrder(what, in -> Ops.convTranspose2d(in[0], in[1], spo[0], spo[1], spo[2]).tanh(), xt, wt);
        }
    }

    /** Every layer geometry of dcgan-mnist (DESIGN.md), with its real channel counts, at batch 2. */
    @Test
    void dcganMnistGeometries() {
        var check = CHECK.maxChecks(6);
        // generator
        Tensor z = randn(500, 2, 100);
        Tensor fc = randn(501, 0.02f, 7 * 7 * 256, 100);
        check.check("G linear 100 -> 7*7*256", in -> Ops.linear(in[0], in[1], null), z, fc);
        Tensor h1 = randn(502, 2, 256, 7, 7);
        Tensor w1 = randn(503, 0.02f, 256, 128, 5, 5);
        check.check("G convT 256->128 k5 s1 p2", in -> Ops.convTranspose2d(in[0], in[1], 1, 2, 0), h1, w1);
        Tensor h2 = randn(504, 2, 128, 7, 7);
        Tensor w2 = randn(505, 0.02f, 128, 64, 5, 5);
        assertArrayEquals(new int[] {2, 64, 14, 14}, Ops.convTranspose2d(h2, w2, 2, 2, 1).shape());
        check.check("G convT 128->64 k5 s2 p2 op1", in -> Ops.convTranspose2d(in[0], in[1], 2, 2, 1), h2, w2);
        Tensor h3 = randn(506, 2, 64, 14, 14);
        Tensor w3 = randn(507, 0.02f, 64, 1, 5, 5);
        assertArrayEquals(new int[] {2, 1, 28, 28}, Ops.convTranspose2d(h3, w3, 2, 2, 1).shape());
        check.check("G convT 64->1 k5 s2 p2 op1", in -> Ops.convTranspose2d(in[0], in[1], 2, 2, 1).tanh(), h3, w3);
        // the generator's batch norms, training mode, at their real widths
        for (int[] s : new int[][] {{2, 256, 7, 7}, {2, 128, 7, 7}, {2, 64, 14, 14}}) {
            Tensor h = randn(520 + s[1], s);
            Tensor gamma = OpsTesting.uniform(521 + s[1], 0.5f, 1.5f, s[1]);
            Tensor beta = randn(522 + s[1], s[1]);
            check.check("G batch norm " + java.util.Arrays.toString(s),
                    in -> Ops.batchNorm(in[0], in[1], in[2], null, null, 0.1f, 1e-5f).tanh(), h, gamma, beta);
        }
        // discriminator
        Tensor img = randn(508, 2, 1, 28, 28);
        Tensor d1 = randn(509, 0.02f, 64, 1, 5, 5);
        assertArrayEquals(new int[] {2, 64, 14, 14}, Ops.conv2d(img, d1, 2, 2).shape());
        check.check("D conv 1->64 k5 s2 p2", in -> Ops.conv2d(in[0], in[1], 2, 2), img, d1);
        Tensor a1 = randn(510, 2, 64, 14, 14);
        Tensor d2 = randn(511, 0.02f, 128, 64, 5, 5);
        assertArrayEquals(new int[] {2, 128, 7, 7}, Ops.conv2d(a1, d2, 2, 2).shape());
        check.check("D conv 64->128 k5 s2 p2", in -> Ops.conv2d(in[0], in[1], 2, 2), a1, d2);
        Tensor a2 = randn(512, 2, 128, 7, 7);
        Tensor d3 = randn(513, 0.02f, 1, 6272);
        check.check("D flatten + linear 6272 -> 1", in -> Ops.linear(in[0].reshape(2, -1), in[1], null), a2, d3);
    }
}
