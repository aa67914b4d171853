package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.ConvGeometry;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static io.gan4j.core.backend.cpu.CpuConvolutionTest.assertBitIdentical;
import static io.gan4j.core.backend.cpu.CpuConvolutionTest.check;
import static io.gan4j.core.backend.cpu.CpuConvolutionTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Winograd F(2x2, 5x5) on its own: against the direct convolution in double (the tolerance of
 * {@link CpuConvolutionTest}, 1e-5 of the sum of the products' magnitudes), on every thread count, in slices of
 * the batch, and which layers take it. {@link CpuConvolutionTest} runs it too, through the backend, on the
 * dcgan-mnist G1 layer and a large odd image.
 */
class WinogradConvolutionTest {

    /** Forward, backward data and backward filter of {@code g} on a Winograd instance; outputs start as NaN. */
    private static float[][] run(WinogradConvolution wc, CpuBackend backend, ConvGeometry g, float[] x, float[] w,
                                 float[] dy) {
        float[] y = new float[(int) g.outputSize()];
        float[] dx = new float[(int) g.inputSize()];
        float[] dw = new float[(int) g.weightSize()];
        java.util.Arrays.fill(y, Float.NaN);
        java.util.Arrays.fill(dx, Float.NaN);
        java.util.Arrays.fill(dw, Float.NaN);
        wc.forward(g, new CpuBuffer(backend, x), new CpuBuffer(backend, w), new CpuBuffer(backend, y));
        wc.backwardData(g, new CpuBuffer(backend, dy), new CpuBuffer(backend, w), new CpuBuffer(backend, dx));
        wc.backwardFilter(g, new CpuBuffer(backend, x), new CpuBuffer(backend, dy), new CpuBuffer(backend, dw));
        return new float[][] {y, dx, dw};
    }

    /**
     * The magnitude of the weight gradient's sums, kernel by kernel: all 25 taps of a kernel come out of one
     * transform ({@code Gᵀ dU G}), so each carries rounding error of the size of the whole kernel's sums. A tap
     * that sees no pixel at all (the outer rows of a 5x5 kernel over a 2-row image) has an exact gradient of 0
     * and gets a few units of 1e-7 of its neighbours', which a per-tap tolerance would call wrong.
     */
    private static double[] perKernel(double[] dwAbs) {
        double[] out = new double[dwAbs.length];
        for (int k = 0; k < dwAbs.length; k += 25) {
            double sum = 0;
            for (int j = 0; j < 25; j++) {
                sum += dwAbs[k + j];
            }
            java.util.Arrays.fill(out, k, k + 25, sum);
        }
        return out;
    }

    private static void matchesDirectConvolution(String name, ConvGeometry g) {
        assertTrue(WinogradConvolution.applies(g), name);
        SplittableRandom rnd = new SplittableRandom(g.hashCode());
        float[] x = random(rnd, g.inputSize());
        float[] w = random(rnd, g.weightSize());
        float[] dy = random(rnd, g.outputSize());
        CpuConvolutionTest.Reference ref = new CpuConvolutionTest.Reference(g, x, w, dy);
        float[][] first = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (CpuBackend backend = new CpuBackend(threads)) {
                Parallel parallel = new Parallel(threads);
                float[][] r = run(new WinogradConvolution(parallel, VectorSupport.gemmKernel()), backend, g, x, w, dy);
                parallel.shutdown();
                check(name + " forward, " + threads + " threads", r[0], ref.y, ref.yAbs);
                check(name + " backward data, " + threads + " threads", r[1], ref.dx, ref.dxAbs);
                check(name + " backward filter, " + threads + " threads", r[2], ref.dw, perKernel(ref.dwAbs));
                if (first == null) {
                    first = r;
                } else {
                    assertBitIdentical(name + " forward, 1 vs " + threads + " threads", first[0], r[0]);
                    assertBitIdentical(name + " backward data, 1 vs " + threads + " threads", first[1], r[1]);
                    assertBitIdentical(name + " backward filter, 1 vs " + threads + " threads", first[2], r[2]);
                }
            }
        }
    }

    @Test
    void onePixel() {
        matchesDirectConvolution("1x1 image, batch 1", ConvGeometry.forward(1, 3, 1, 1, 4, 5, 5, 1, 1, 2, 2));
    }

    @Test
    void oddNonSquareImages() {
        matchesDirectConvolution("5x9, batch 3", ConvGeometry.forward(3, 7, 5, 9, 6, 5, 5, 1, 1, 2, 2));
        matchesDirectConvolution("2x3, batch 2", ConvGeometry.forward(2, 5, 2, 3, 4, 5, 5, 1, 1, 2, 2));
    }

    @Test
    void dcganMnistTransposedLayer() {
        matchesDirectConvolution("G1 convT 256->128 7x7, batch 2",
                ConvGeometry.transposed(2, 256, 7, 7, 128, 5, 5, 1, 1, 2, 2, 0, 0));
    }

    /**
     * Each image's outputs come from its own tiles only, so slices of the batch give the same bits as one slice;
     * the weight gradient adds the slices in batch order, so it is checked against the reference only.
     */
    @Test
    void slicesOfTheBatch() {
        ConvGeometry g = ConvGeometry.forward(5, 8, 9, 7, 6, 5, 5, 1, 1, 2, 2);
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = random(rnd, g.inputSize());
        float[] w = random(rnd, g.weightSize());
        float[] dy = random(rnd, g.outputSize());
        // 36 points x 8 channels x 20 tiles per image: a limit of 2 images gives slices of 2, 2 and 1
        long twoImages = 36L * 8 * 20 * 2;
        try (CpuBackend backend = new CpuBackend(2)) {
            Parallel parallel = new Parallel(2);
            float[][] whole = run(new WinogradConvolution(parallel, VectorSupport.gemmKernel()), backend, g, x, w, dy);
            float[][] sliced = run(new WinogradConvolution(parallel, VectorSupport.gemmKernel(), twoImages),
                    backend, g, x, w, dy);
            parallel.shutdown();
            assertBitIdentical("forward in slices", whole[0], sliced[0]);
            assertBitIdentical("backward data in slices", whole[1], sliced[1]);
            CpuConvolutionTest.Reference ref = new CpuConvolutionTest.Reference(g, x, w, dy);
            check("forward in slices", sliced[0], ref.y, ref.yAbs);
            check("backward data in slices", sliced[1], ref.dx, ref.dxAbs);
            check("backward filter in slices", sliced[2], ref.dw, perKernel(ref.dwAbs));
        }
    }

    @Test
    void onlyStride1Kernel5Padding2LayersTakeIt() {
        {
            CpuConvolution conv = new CpuConvolution(new Parallel(1), new CpuGemm(new Parallel(1)), true);
            CpuConvolution im2col = new CpuConvolution(new Parallel(1), new CpuGemm(new Parallel(1)), false);
            ConvGeometry g1 = ConvGeometry.transposed(16, 256, 7, 7, 128, 5, 5, 1, 1, 2, 2, 0, 0);
            assertTrue(conv.usesWinograd(g1));
            assertFalse(im2col.usesWinograd(g1), "switched off");
            assertFalse(conv.usesWinograd(ConvGeometry.forward(16, 64, 14, 14, 128, 5, 5, 2, 2, 2, 2)), "stride 2");
            assertFalse(conv.usesWinograd(ConvGeometry.forward(16, 64, 8, 8, 64, 3, 3, 1, 1, 1, 1)), "3x3");
            assertFalse(conv.usesWinograd(ConvGeometry.forward(16, 64, 7, 7, 64, 5, 5, 1, 1, 1, 1)), "padding 1");
            // few weights and a batch: the batch-parallel im2col path (CpuConvolution.grouped) is faster there
            assertFalse(conv.usesWinograd(ConvGeometry.forward(16, 1, 28, 28, 8, 5, 5, 1, 1, 2, 2)), "grouped");
            assertTrue(conv.usesWinograd(ConvGeometry.forward(1, 1, 28, 28, 8, 5, 5, 1, 1, 2, 2)), "batch 1");
        }
    }

    /** The Vector API transforms (when present) give the plain-Java bits, on runs with and without a tail. */
    @Test
    void vectorTransformsMatchPlainJavaBitForBit() {
        WinogradTransforms chosen = VectorSupport.winogradTransforms();
        if (VectorSupport.whyNotVector() == null) {
            assertFalse(chosen instanceof ScalarWinogradTransforms, "the vector transforms should have loaded");
        }
        WinogradTransforms plain = new ScalarWinogradTransforms();
        SplittableRandom rnd = new SplittableRandom(11);
        for (int n : new int[] {1, 7, 8, 13, 64}) {
            float[] in = random(rnd, 6L * n + 5);
            float[][] a = new float[5][6 * n + 9];
            float[][] b = new float[5][6 * n + 9];
            // inputs at an offset, runs interleaved (stride n + 1 apart reads, stride n apart writes)
            plain.input(in, 3, n, a[0], 2, n, n);
            chosen.input(in, 3, n, b[0], 2, n, n);
            plain.output(in, 1, n, a[1], 0, n + 1, n);
            chosen.output(in, 1, n, b[1], 0, n + 1, n);
            plain.outputGradient(in, 0, n, a[2], 4, n, n);
            chosen.outputGradient(in, 0, n, b[2], 4, n, n);
            plain.kernel(in, 2, n + 1, a[3], 1, n, n);
            chosen.kernel(in, 2, n + 1, b[3], 1, n, n);
            plain.kernelGradient(in, 0, n, a[4], 3, n + 1, n);
            chosen.kernelGradient(in, 0, n, b[4], 3, n + 1, n);
            for (int i = 0; i < a.length; i++) {
                assertBitIdentical("transform " + i + ", runs of " + n, a[i], b[i]);
            }
        }
    }

    @Test
    void aBadSettingIsAClearError() {
        String old = System.getProperty("gan4j.winograd");
        try {
            System.setProperty("gan4j.winograd", "maybe");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, CpuBackend::defaultWinograd);
            assertEquals("system property gan4j.winograd: expected true or false, got 'maybe'", e.getMessage());
            System.setProperty("gan4j.winograd", "false");
            assertFalse(CpuBackend.defaultWinograd());
        } finally {
            if (old == null) {
                System.clearProperty("gan4j.winograd");
            } else {
                System.setProperty("gan4j.winograd", old);
            }
        }
    }
}
