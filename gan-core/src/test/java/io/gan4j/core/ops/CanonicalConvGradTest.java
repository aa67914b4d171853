package io.gan4j.core.ops;

import io.gan4j.core.autograd.GradCheck;
import io.gan4j.core.backend.cpu.CpuBackend;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.Function;

import static io.gan4j.core.ops.OpsTesting.CHECK;
import static io.gan4j.core.ops.OpsTesting.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * First and second derivatives of conv2d and conv-transpose2d at every kernel/stride/padding of the
 * canonical workloads (dcgan-mnist, dcgan-64, and the SRGAN the model registry builds), on batch 1 and an
 * odd batch, with few channels and small (often odd) images so that the checks stay fast; then on random
 * geometries. The second-order checks are what a WGAN-GP or R1 penalty over such a layer needs.
 */
class CanonicalConvGradTest {

    /** One layer geometry: kernel, stride, padding, output padding (transposed only), and a small input size. */
    private record Layer(String name, boolean transposed, int k, int stride, int pad, int outPad, int h, int w) {
        int outH() {
            return transposed ? (h - 1) * stride - 2 * pad + k + outPad : (h + 2 * pad - k) / stride + 1;
        }

        int outW() {
            return transposed ? (w - 1) * stride - 2 * pad + k + outPad : (w + 2 * pad - k) / stride + 1;
        }

        /**
         * Whether the CPU backend computes the layer with Winograd's algorithm (by default): k5 s1 p2 on batch 1 (a
         * larger batch of so few channels takes the batch-parallel im2col path instead).
         */
        boolean winograd(int n) {
            return n == 1 && k == 5 && stride == 1 && pad == 2;
        }

        Tensor apply(Tensor x, Tensor weight) {
            return transposed ? Ops.convTranspose2d(x, weight, stride, pad, outPad) : Ops.conv2d(x, weight, stride, pad);
        }

        @Override
        public String toString() {
            return name + (transposed ? " convT" : " conv") + " k" + k + " s" + stride + " p" + pad
                    + (transposed ? " op" + outPad : "") + " on " + h + "x" + w;
        }
    }

    private static final Layer[] CANONICAL = {
        // dcgan-mnist discriminator: k5 s2 p2 (28 -> 14 -> 7), here on an odd and an even image
        new Layer("dcgan-mnist D", false, 5, 2, 2, 0, 7, 7),
        new Layer("dcgan-mnist D", false, 5, 2, 2, 0, 6, 6),
        // dcgan-mnist generator: k5 s1 p2 (7 -> 7) and k5 s2 p2 op1 (7 -> 14 -> 28)
        new Layer("dcgan-mnist G", true, 5, 1, 2, 0, 7, 7),
        new Layer("dcgan-mnist G", true, 5, 2, 2, 1, 3, 3),
        new Layer("dcgan-mnist G", true, 5, 2, 2, 1, 4, 4),
        // dcgan-64 generator: k4 s1 p0 from the 1x1 latent to 4x4, then k4 s2 p1 doubling
        new Layer("dcgan-64 G", true, 4, 1, 0, 0, 1, 1),
        new Layer("dcgan-64 G", true, 4, 2, 1, 0, 3, 3),
        new Layer("dcgan-64 G", true, 4, 2, 1, 0, 4, 4),
        // dcgan-64 discriminator: k4 s2 p1 halving, then k4 s1 p0 from 4x4 to the 1x1 logit
        new Layer("dcgan-64 D", false, 4, 2, 1, 0, 8, 8),
        new Layer("dcgan-64 D", false, 4, 2, 1, 0, 5, 5),
        new Layer("dcgan-64 D", false, 4, 1, 0, 0, 4, 4),
        // SRGAN: the k9 p4 head and tail, k3 s1 p1 residual blocks, k3 s2 p1 discriminator blocks
        new Layer("srgan", false, 9, 1, 4, 0, 5, 5),
        new Layer("srgan", false, 3, 1, 1, 0, 5, 5),
        new Layer("srgan D", false, 3, 2, 1, 0, 7, 7),
        new Layer("srgan D", false, 3, 2, 1, 0, 6, 6),
    };

    /** Weights scaled by 1/sqrt(fan-in), so outputs stay O(1) and tanh does not saturate. */
    private static Tensor weight(long seed, Layer l, int cin, int cout) {
        float std = (float) (1 / Math.sqrt(cin * l.k * l.k));
        return l.transposed ? randn(seed, std, cin, cout, l.k, l.k) : randn(seed, std, cout, cin, l.k, l.k);
    }

    private static void checkLayer(Layer l, int n, int cin, int cout, long seed) {
        Tensor x = randn(seed, n, cin, l.h, l.w);
        Tensor w = weight(seed + 1, l, cin, cout);
        Tensor bias = randn(seed + 2, 0.1f, cout);
        assertArrayEquals(new int[] {n, cout, l.outH(), l.outW()}, l.apply(x, w).shape(), l.toString());
        String what = l + " batch " + n;
        var check = CHECK.maxChecks(24);
        // the layer as nn.Conv2d / nn.ConvTranspose2d computes it: with a per-channel bias
        Function<Tensor[], Tensor> layer = in -> Ops.addChannelBias(l.apply(in[0], in[1]), in[2]);
        check.check(what, layer, x, w, bias);
        // bilinear in (x, w): the mixed second derivatives; through tanh: the pure ones too
        Function<Tensor[], Tensor> bilinear = in -> l.apply(in[0], in[1]);
        Function<Tensor[], Tensor> squashed = in -> layer.apply(in).tanh();
        if (!l.winograd(n)) {
            check.checkSecondOrder(what, bilinear, x, w);
            check.checkSecondOrder(what + " tanh", squashed, x, w, bias);
            return;
        }
        // Finite differences of second derivatives in float32 sit at the noise floor of Winograd's rounding (about
        // 1e-6 of the summed magnitudes, against 1e-8 for a direct sum, divided by the step): at a step of 1e-2 a
        // change in the last bit of the kernel's transform failed this check, at 3e-2 the truncation error does.
        // So the finite differences check the im2col path, and the Winograd path must give its second derivatives.
        try (CpuBackend im2col = new CpuBackend(1, false)) {
            Tensor[] on = {onBackend(im2col, x), onBackend(im2col, w), onBackend(im2col, bias)};
            check.checkSecondOrder(what + " im2col", bilinear, on[0], on[1]);
            check.checkSecondOrder(what + " im2col tanh", squashed, on);
            assertSameSecondDerivatives(what, bilinear, new Tensor[] {x, w}, new Tensor[] {on[0], on[1]});
            assertSameSecondDerivatives(what + " tanh", squashed, new Tensor[] {x, w, bias}, on);
        }
    }

    private static Tensor onBackend(CpuBackend backend, Tensor t) {
        return Tensor.of(backend, t.toArray(), t.shape());
    }

    /** The two paths' second derivatives (as {@code checkSecondOrder} builds them) agree to float rounding. */
    private static void assertSameSecondDerivatives(String what, Function<Tensor[], Tensor> f, Tensor[] winograd,
                                                    Tensor[] im2col) {
        float[][] a = GradCheck.secondDerivatives(f, winograd);
        float[][] b = GradCheck.secondDerivatives(f, im2col);
        for (int i = 0; i < a.length; i++) {
            double scale = 0;
            for (float v : b[i]) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int k = 0; k < a[i].length; k++) {
                double diff = Math.abs(a[i][k] - b[i][k]);
                if (!(diff <= 1e-4 * scale)) {
                    fail(what + ": second derivative d/d(input " + i + ")[" + k + "] is " + a[i][k]
                            + " on the Winograd path, " + b[i][k] + " on the im2col path (largest " + scale + ")");
                }
            }
        }
    }

    @Test
    void canonicalGeometriesBatchOne() {
        long seed = 1000;
        for (Layer l : CANONICAL) {
            checkLayer(l, 1, 2, 3, seed);
            seed += 10;
        }
    }

    @Test
    void canonicalGeometriesOddBatch() {
        long seed = 2000;
        for (Layer l : CANONICAL) {
            checkLayer(l, 3, 1, 2, seed);
            seed += 10;
        }
    }

    /** Random kernels, strides, paddings, output paddings, non-square images, batches and channel counts. */
    @Test
    void randomGeometries() {
        SplittableRandom rnd = new SplittableRandom(77);
        for (int c = 0; c < 12; c++) {
            boolean transposed = c % 2 == 1;
            int k = 1 + rnd.nextInt(5);
            int stride = 1 + rnd.nextInt(3);
            int pad = rnd.nextInt(k);
            int outPad = transposed ? rnd.nextInt(stride) : 0;
            int h = Math.max(1, k - 2 * pad) + rnd.nextInt(4);
            int w = Math.max(1, k - 2 * pad) + rnd.nextInt(4);
            Layer l = new Layer("random", transposed, k, stride, pad, outPad, h, w);
            if (l.outH() < 1 || l.outW() < 1) {
                continue;
            }
            checkLayer(l, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), 3000 + 10L * c);
        }
    }
}
