package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Buffer;
import io.gan4j.core.backend.ConvGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The three convolution kernels of the CPU backend against a direct convolution in double precision,
 * through the public {@link Backend} API, and bit-identical across thread counts.
 */
class CpuConvolutionTest {
    private static final int[] THREADS = {1, 2, 3};

    /** A named geometry; {@code offset} places every tensor at that offset inside a larger buffer. */
    record Case(String name, ConvGeometry g, int offset) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // the dcgan-mnist layers, small odd batch; a transposed conv's forward is conv2dBackwardData
        cases.add(new Case("D1 conv 1->64 k5 s2 p2 28x28", ConvGeometry.forward(3, 1, 28, 28, 64, 5, 5, 2, 2, 2, 2), 0));
        cases.add(new Case("D2 conv 64->128 k5 s2 p2 14x14", ConvGeometry.forward(3, 64, 14, 14, 128, 5, 5, 2, 2, 2, 2), 0));
        cases.add(new Case("G1 convT 256->128 k5 s1 p2 7x7", ConvGeometry.transposed(3, 256, 7, 7, 128, 5, 5, 1, 1, 2, 2, 0, 0), 0));
        cases.add(new Case("G2 convT 128->64 k5 s2 p2 op1 7->14", ConvGeometry.transposed(3, 128, 7, 7, 64, 5, 5, 2, 2, 2, 2, 1, 1), 0));
        cases.add(new Case("G3 convT 64->1 k5 s2 p2 op1 14->28", ConvGeometry.transposed(3, 64, 14, 14, 1, 5, 5, 2, 2, 2, 2, 1, 1), 0));
        // the dcgan-64 geometries (k4 s2 p1 convs and convTs, k4 s1 p0 at the 1x1 / 4x4 ends), fewer channels
        cases.add(new Case("dcgan-64 G1 convT 1x1->4x4 k4 s1 p0 n1", ConvGeometry.transposed(1, 20, 1, 1, 16, 4, 4, 1, 1, 0, 0, 0, 0), 0));
        cases.add(new Case("dcgan-64 G2 convT 4->8 k4 s2 p1", ConvGeometry.transposed(3, 16, 4, 4, 8, 4, 4, 2, 2, 1, 1, 0, 0), 0));
        cases.add(new Case("dcgan-64 G5 convT 32->64 k4 s2 p1 n1", ConvGeometry.transposed(1, 4, 32, 32, 3, 4, 4, 2, 2, 1, 1, 0, 0), 0));
        cases.add(new Case("dcgan-64 D1 conv 64->32 k4 s2 p1", ConvGeometry.forward(2, 3, 64, 64, 4, 4, 4, 2, 2, 1, 1), 0));
        cases.add(new Case("dcgan-64 D5 conv 4->1 k4 s1 p0", ConvGeometry.forward(3, 16, 4, 4, 1, 4, 4, 1, 1, 0, 0), 0));
        cases.add(new Case("odd 15x15 k4 s2 p1 n1", ConvGeometry.forward(1, 3, 15, 15, 5, 4, 4, 2, 2, 1, 1), 0));
        // batch 1, odd and non-square sizes, non-square kernels, every stride/padding combination
        for (int stride = 1; stride <= 2; stride++) {
            for (int pad = 0; pad <= 2; pad++) {
                cases.add(new Case("n1 9x11 k3x2 s" + stride + " p" + pad,
                        ConvGeometry.forward(1, 3, 9, 11, 4, 3, 2, stride, stride, pad, pad), 0));
                cases.add(new Case("n5 13x7 k2x3 s" + stride + " p" + pad,
                        ConvGeometry.forward(5, 2, 13, 7, 3, 2, 3, stride, stride, pad, pad), 0));
            }
        }
        cases.add(new Case("mixed strides and paddings", ConvGeometry.forward(3, 3, 11, 10, 5, 3, 4, 1, 2, 2, 1), 0));
        cases.add(new Case("1x1 kernel", ConvGeometry.forward(3, 5, 5, 7, 6, 1, 1, 1, 1, 0, 0), 0));
        cases.add(new Case("kernel covers input", ConvGeometry.forward(3, 2, 5, 4, 3, 5, 4, 1, 1, 0, 0), 0));
        cases.add(new Case("stride larger than kernel", ConvGeometry.forward(3, 2, 11, 9, 3, 2, 2, 3, 3, 1, 0), 0));
        cases.add(new Case("views at an offset", ConvGeometry.forward(3, 3, 9, 9, 4, 3, 3, 2, 2, 1, 1), 17));
        // k5 s1 p2 with one image: Winograd (WinogradConvolution), on views at an offset
        cases.add(new Case("winograd views at an offset", ConvGeometry.forward(1, 3, 6, 5, 4, 5, 5, 1, 1, 2, 2), 13));
        // a batch whose column matrix exceeds the limit, so it is processed in slices (one of them short)
        cases.add(new Case("sliced batch", ConvGeometry.forward(11, 8, 127, 127, 2, 5, 5, 1, 1, 2, 2), 0));
        // the same through im2col (3x3): later slices add to the weight gradient of the earlier ones
        cases.add(new Case("sliced batch 3x3", ConvGeometry.forward(31, 8, 127, 127, 2, 3, 3, 1, 1, 1, 1), 0));
        // few weights: the batch runs as parallel groups of images (one of them short), dW summed over groups
        cases.add(new Case("grouped batch", ConvGeometry.forward(19, 1, 28, 28, 64, 5, 5, 2, 2, 2, 2), 0));
        cases.add(new Case("grouped convT 64->1", ConvGeometry.transposed(11, 64, 14, 14, 1, 5, 5, 2, 2, 2, 2, 1, 1), 0));
        return cases;
    }

    @Test
    void slicedGroupedAndWinogradCasesTakeTheirPaths() {
        CpuConvolution conv = new CpuConvolution(new Parallel(1), new CpuGemm(new Parallel(1)), true);
        for (Case tc : cases()) {
            ConvGeometry g = tc.g();
            if (tc.name().startsWith("winograd") || tc.name().startsWith("G1") || tc.name().equals("sliced batch")) {
                assertTrue(conv.usesWinograd(g), tc.name());
            }
            if (tc.name().startsWith("sliced")) {
                assertTrue((long) g.c() * g.r() * g.s() * g.p() * g.q() * g.n() > 2 * CpuConvolution.COLUMN_LIMIT,
                        tc.name());
                assertTrue(!CpuConvolution.grouped(g), tc.name());
            }
            if (tc.name().startsWith("grouped")) {
                assertTrue(CpuConvolution.grouped(g), tc.name());
                assertTrue(CpuConvolution.groupSize(g) > 1 && g.n() % CpuConvolution.groupSize(g) != 0, tc.name());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesDirectConvolutionOnEveryThreadCount(Case tc) {
        ConvGeometry g = tc.g();
        SplittableRandom rnd = new SplittableRandom(g.hashCode());
        float[] x = random(rnd, g.inputSize());
        float[] w = random(rnd, g.weightSize());
        float[] dy = random(rnd, g.outputSize());
        Reference ref = new Reference(g, x, w, dy);

        Result first = null;
        for (int threads : THREADS) {
            Result r = run(threads, tc, x, w, dy);
            check(tc + " forward, " + threads + " threads", r.y, ref.y, ref.yAbs);
            check(tc + " backward data, " + threads + " threads", r.dx, ref.dx, ref.dxAbs);
            check(tc + " backward filter, " + threads + " threads", r.dw, ref.dw, ref.dwAbs);
            if (first == null) {
                first = r;
            } else {
                assertBitIdentical(tc + " forward, 1 vs " + threads + " threads", first.y, r.y);
                assertBitIdentical(tc + " backward data, 1 vs " + threads + " threads", first.dx, r.dx);
                assertBitIdentical(tc + " backward filter, 1 vs " + threads + " threads", first.dw, r.dw);
            }
        }
    }

    /** Scratch memory is reused between calls: NaNs of one call must not reach the next one. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scratchCases")
    void staleScratchDoesNotLeakIntoLaterCalls(Case tc) {
        ConvGeometry g = tc.g();
        SplittableRandom rnd = new SplittableRandom(7);
        float[] x = random(rnd, g.inputSize());
        float[] w = random(rnd, g.weightSize());
        float[] dy = random(rnd, g.outputSize());
        try (CpuBackend backend = new CpuBackend(2)) {
            float[] nx = x.clone();
            float[] ndy = dy.clone();
            nx[5] = Float.NaN;
            ndy[3] = Float.NaN;
            run(backend, tc, nx, w, ndy);
            Result r = run(backend, tc, x, w, dy);
            Reference ref = new Reference(g, x, w, dy);
            check("forward after NaN call", r.y, ref.y, ref.yAbs);
            check("backward data after NaN call", r.dx, ref.dx, ref.dxAbs);
            check("backward filter after NaN call", r.dw, ref.dw, ref.dwAbs);
        }
    }

    /** D2 (im2col) and G1 (Winograd). */
    static List<Case> scratchCases() {
        return List.of(cases().get(1), cases().get(2));
    }

    /**
     * The products whose B is packed straight from the images ({@link ColumnPanels}) give the bits of the column
     * matrix algorithm they replace: im2col, then the GEMM with the matrix as B (forward), or as Bᵀ (weight
     * gradient), on one thread and on two. Batch-1 and one-slice cases, where that algorithm is a few lines.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void packedColumnsGiveTheColumnMatrixBits(Case tc) {
        ConvGeometry g = tc.g();
        CpuConvolution probe = new CpuConvolution(new Parallel(1), new CpuGemm(new Parallel(1)), true);
        if (probe.usesWinograd(g) || CpuConvolution.grouped(g) || CpuConvolution.sliceSize(g) != g.n()) {
            return;
        }
        SplittableRandom rnd = new SplittableRandom(g.hashCode() + 1);
        float[] x = random(rnd, g.inputSize());
        float[] w = random(rnd, g.weightSize());
        float[] dy = random(rnd, g.outputSize());
        int n = g.n();
        int crs = g.c() * g.r() * g.s();
        int pq = g.p() * g.q();
        int cols = pq * n;
        Parallel one = new Parallel(1);
        BatchInner reorder = new BatchInner(one);
        float[] xt = new float[x.length];
        reorder.fromNchw(x, 0, 0, n, g.c(), g.h() * g.w(), xt);
        float[] col = new float[crs * cols];
        new Im2col(one).im2col(g, n, xt, 0, col);
        float[] grad = new float[dy.length];
        reorder.fromNchw(dy, 0, 0, n, g.k(), pq, grad);
        CpuGemm serial = new CpuGemm(one);
        float[] out = new float[g.k() * cols];
        serial.gemm(false, false, g.k(), cols, crs, 1f, w, 0, crs, col, 0, cols, 0f, out, 0, cols);
        float[] y = new float[dy.length];
        reorder.toNchw(out, n, g.k(), pq, y, 0, 0);
        float[] dw = new float[w.length];
        serial.gemm(false, true, g.k(), crs, cols, 1f, grad, 0, cols, col, 0, cols, 0f, dw, 0, crs);
        for (int threads : new int[] {1, 2}) {
            try (CpuBackend backend = new CpuBackend(threads)) {
                Result r = run(backend, tc, x, w, dy);
                assertBitIdentical(tc + " forward, " + threads + " threads", y, r.y);
                assertBitIdentical(tc + " backward filter, " + threads + " threads", dw, r.dw);
            }
        }
        one.shutdown();
    }

    // ---------------------------------------------------------------- running the backend

    private record Result(float[] y, float[] dx, float[] dw) {
    }

    private static Result run(int threads, Case tc, float[] x, float[] w, float[] dy) {
        try (CpuBackend backend = new CpuBackend(threads)) {
            return run(backend, tc, x, w, dy);
        }
    }

    /** Outputs start out as NaN: the kernels must overwrite every element. */
    private static Result run(Backend b, Case tc, float[] x, float[] w, float[] dy) {
        ConvGeometry g = tc.g();
        Buffer bx = place(b, x, tc.offset());
        Buffer bw = place(b, w, tc.offset());
        Buffer bdy = place(b, dy, tc.offset());
        Buffer y = nanBuffer(b, g.outputSize(), tc.offset());
        Buffer dx = nanBuffer(b, g.inputSize(), tc.offset());
        Buffer dw = nanBuffer(b, g.weightSize(), tc.offset());
        b.conv2dForward(g, bx, bw, y);
        b.conv2dBackwardData(g, bdy, bw, dx);
        b.conv2dBackwardFilter(g, bx, bdy, dw);
        return new Result(download(b, y), download(b, dx), download(b, dw));
    }

    private static Buffer place(Backend b, float[] data, int offset) {
        float[] padded = new float[data.length + 2 * offset];
        java.util.Arrays.fill(padded, Float.NaN);
        System.arraycopy(data, 0, padded, offset, data.length);
        return b.upload(padded, 0, padded.length).view(offset, data.length);
    }

    private static Buffer nanBuffer(Backend b, long length, int offset) {
        Buffer all = b.allocate(length + 2L * offset);
        b.fill(all, Float.NaN);
        return all.view(offset, length);
    }

    private static float[] download(Backend b, Buffer buf) {
        float[] out = new float[(int) buf.length()];
        b.download(buf, out, 0);
        return out;
    }

    static float[] random(SplittableRandom rnd, long n) {
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return a;
    }

    // ---------------------------------------------------------------- checking

    /**
     * Float32 error of a sum grows with the magnitudes summed, so each element gets a tolerance of
     * {@code 1e-5} times the sum of the absolute values of its products; an index error shows up as an
     * error of the size of a whole product, far above that.
     */
    static void check(String what, float[] actual, double[] expected, double[] absSum) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < actual.length; i++) {
            double tol = 1e-5 * absSum[i] + 1e-6;
            if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i] + " (tolerance " + tol + ")");
            }
        }
    }

    static void assertBitIdentical(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": element " + i + " differs: " + expected[i] + " vs " + actual[i]);
            }
        }
    }

    /** Direct convolution in double: every product x * w, x * dy and dy * w visited once. */
    static final class Reference {
        final double[] y;
        final double[] yAbs;
        final double[] dx;
        final double[] dxAbs;
        final double[] dw;
        final double[] dwAbs;

        Reference(ConvGeometry g, float[] x, float[] w, float[] dy) {
            y = new double[(int) g.outputSize()];
            yAbs = new double[y.length];
            dx = new double[(int) g.inputSize()];
            dxAbs = new double[dx.length];
            dw = new double[(int) g.weightSize()];
            dwAbs = new double[dw.length];
            for (int n = 0; n < g.n(); n++) {
                for (int k = 0; k < g.k(); k++) {
                    for (int p = 0; p < g.p(); p++) {
                        for (int q = 0; q < g.q(); q++) {
                            int yi = ((n * g.k() + k) * g.p() + p) * g.q() + q;
                            double sum = 0;
                            double abs = 0;
                            double gy = dy[yi];
                            for (int c = 0; c < g.c(); c++) {
                                for (int r = 0; r < g.r(); r++) {
                                    int ih = p * g.strideH() - g.padH() + r;
                                    if (ih < 0 || ih >= g.h()) {
                                        continue;
                                    }
                                    for (int s = 0; s < g.s(); s++) {
                                        int iw = q * g.strideW() - g.padW() + s;
                                        if (iw < 0 || iw >= g.w()) {
                                            continue;
                                        }
                                        int xi = ((n * g.c() + c) * g.h() + ih) * g.w() + iw;
                                        int wi = ((k * g.c() + c) * g.r() + r) * g.s() + s;
                                        double xv = x[xi];
                                        double wv = w[wi];
                                        sum += xv * wv;
                                        abs += Math.abs(xv * wv);
                                        dx[xi] += gy * wv;
                                        dxAbs[xi] += Math.abs(gy * wv);
                                        dw[wi] += xv * gy;
                                        dwAbs[wi] += Math.abs(xv * gy);
                                    }
                                }
                            }
                            y[yi] = sum;
                            yAbs[yi] = abs;
                        }
                    }
                }
            }
        }
    }
}
