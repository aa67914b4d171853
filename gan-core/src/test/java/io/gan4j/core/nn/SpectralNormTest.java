package io.gan4j.core.nn;

import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.gan4j.core.nn.NnTesting.checkGradients;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpectralNormTest {
    private final Generator gen = new Generator(31);

    /** Largest singular value of {@code w} viewed as {@code [rows, numel / rows]}, via Commons Math's SVD. */
    private static double largestSingularValue(float[] w, int rows) {
        int cols = w.length / rows;
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = w[i * cols + j];
            }
        }
        return new SingularValueDecomposition(new Array2DRowRealMatrix(m, false)).getSingularValues()[0];
    }

    /** {@code [in, out, k, k]} permuted to {@code [out, in, k, k]}, as PyTorch's dim=1. */
    private static float[] outputAxisFirst(float[] w, int in, int out, int kk) {
        float[] p = new float[w.length];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                System.arraycopy(w, (i * out + o) * kk, p, (o * in + i) * kk, kk);
            }
        }
        return p;
    }

    @Test
    void namesMatchPyTorch() {
        Sequential s = new Sequential(new SpectralNorm(new Conv2d(3, 8, 3, 1, 1, gen), gen), new LeakyReLU(0.2f),
                new SpectralNorm(new Linear(8, 1, gen), gen));
        // PyTorch: spectral_norm moves weight to the end as weight_orig and adds the buffers weight_u, weight_v
        assertEquals(List.of("0.bias", "0.weight_orig", "0.weight_u", "0.weight_v",
                "2.bias", "2.weight_orig", "2.weight_u", "2.weight_v"), new ArrayList<>(s.stateDict().keySet()));
        assertEquals(List.of("0.bias", "0.weight_orig", "2.bias", "2.weight_orig"), new ArrayList<>(s.namedParameters().keySet()));
        assertArrayEquals(new int[] {8}, s.stateDict().get("0.weight_u").shape());
        assertArrayEquals(new int[] {27}, s.stateDict().get("0.weight_v").shape());
        assertEquals(8 * 27 + 8 + 8 + 1, s.parameterCount());
        assertTrue(s.toString().contains("SpectralNorm(\n    Conv2d(3, 8"), s.toString());
        // the initial u and v are unit vectors
        assertEquals(1, Math.sqrt(sumOfSquares(s.stateDict().get("0.weight_u").toArray())), 1e-5);
        assertEquals(1, Math.sqrt(sumOfSquares(s.stateDict().get("0.weight_v").toArray())), 1e-5);
        // a second wrap, or a layer without a weight, is refused
        SpectralNorm sn = (SpectralNorm) s.get(0);
        assertThrows(IllegalArgumentException.class, () -> new SpectralNorm(sn.layer(), gen));
        assertThrows(IllegalArgumentException.class, () -> new SpectralNorm(new BatchNorm1d(3), gen));
    }

    @Test
    void sigmaConvergesToTheLargestSingularValue() {
        SpectralNorm sn = new SpectralNorm(new Conv2d(4, 6, 3, 1, 1, gen), gen);
        Tensor x = Tensor.randn(gen, 1, 4, 3, 3);
        for (int i = 0; i < 50; i++) {
            sn.forward(x);
        }
        double truth = largestSingularValue(sn.weightOrig().toArray(), 6);
        assertEquals(truth, sn.sigma(), 1e-3 * truth);
        assertEquals(1.0, largestSingularValue(sn.normalizedWeight().toArray(), 6), 1e-3);
    }

    @Test
    void transposedConvolutionNormalisesAroundItsOutputAxis() {
        ConvTranspose2d ct = new ConvTranspose2d(5, 3, 2, 2, 0, gen);
        SpectralNorm sn = new SpectralNorm(ct, gen);
        assertArrayEquals(new int[] {3}, sn.u().shape());          // out channels: axis 1 of [in, out, k, k]
        assertArrayEquals(new int[] {20}, sn.v().shape());
        Tensor x = Tensor.randn(gen, 1, 5, 2, 2);
        for (int i = 0; i < 50; i++) {
            sn.forward(x);
        }
        float[] w = sn.weightOrig().toArray();
        double truth = largestSingularValue(outputAxisFirst(w, 5, 3, 4), 3);
        assertEquals(truth, sn.sigma(), 1e-3 * truth);
        assertEquals(1.0, largestSingularValue(outputAxisFirst(sn.normalizedWeight().toArray(), 5, 3, 4), 3), 1e-3);
        assertArrayEquals(new int[] {1, 3, 4, 4}, sn.forward(x).shape());
    }

    @Test
    void evaluationKeepsUAndV() {
        SpectralNorm sn = new SpectralNorm(new Linear(5, 4, gen), gen);
        Tensor x = Tensor.randn(gen, 2, 5);
        float[] u0 = sn.u().toArray();
        sn.forward(x);
        float[] u1 = sn.u().toArray();
        assertNotEquals(u0[0], u1[0], "a training forward runs a power iteration");
        sn.eval();
        sn.forward(x);
        assertArrayEquals(u1, sn.u().toArray());
    }

    @Test
    void forwardUsesTheNormalisedWeight() {
        SpectralNorm sn = new SpectralNorm(new Linear(5, 4, gen), gen);
        sn.eval();
        Tensor x = Tensor.randn(gen, 2, 5);
        Linear plain = new Linear(5, 4, gen);
        plain.setParameter("weight", sn.normalizedWeight());
        plain.setParameter("bias", ((Linear) sn.layer()).bias());
        assertArrayEquals(plain.forward(x).toArray(), sn.forward(x).toArray(), 1e-6f);
    }

    @Test
    void gradientsThroughTheWrapper() {
        SpectralNorm conv = new SpectralNorm(new Conv2d(2, 3, 3, 1, 1, gen), gen);
        Tensor x = Tensor.randn(gen, 1, 2, 3, 3);
        for (int i = 0; i < 5; i++) {
            conv.forward(x);
        }
        conv.eval();       // u and v fixed: finite differences need the same function every call
        checkGradients("SpectralNorm(Conv2d)", conv, x);
        SpectralNorm ct = new SpectralNorm(new ConvTranspose2d(3, 2, 3, 2, 1, 1, true, gen), gen);
        ct.eval();
        checkGradients("SpectralNorm(ConvTranspose2d)", ct, Tensor.randn(gen, 1, 3, 2, 2));
        SpectralNorm lin = new SpectralNorm(new Linear(4, 3, gen), gen);
        lin.eval();
        checkGradients("SpectralNorm(Linear)", lin, Tensor.randn(gen, 2, 4));
    }

    @Test
    void backwardAfterAnotherForwardUsesTheValuesOfItsOwnStep() {
        // D(real) and D(fake) are both computed before one backward: the second power iteration must not
        // change the u and v the first forward's gradient depends on
        SpectralNorm a = new SpectralNorm(new Linear(3, 2, new Generator(1)), new Generator(2));
        SpectralNorm b = new SpectralNorm(new Linear(3, 2, new Generator(1)), new Generator(2));
        Tensor x = Tensor.randn(gen, 4, 3);
        a.forward(x).square().sum().backward();
        Tensor yb = b.forward(x).square().sum();
        b.forward(x);
        yb.backward();
        assertArrayEquals(a.weightOrig().grad().toArray(), b.weightOrig().grad().toArray(), 1e-6f);
    }

    @Test
    void stateDictRoundTrip() {
        SpectralNorm a = new SpectralNorm(new Linear(4, 3, new Generator(1)), new Generator(2));
        a.forward(Tensor.randn(gen, 2, 4));
        SpectralNorm b = new SpectralNorm(new Linear(4, 3, new Generator(3)), new Generator(4));
        Tensor u = b.u();
        b.loadStateDict(NnTesting.copyOfState(a));
        assertSame(u, b.u());
        assertArrayEquals(a.u().toArray(), b.u().toArray());
        assertEquals(a.sigma(), b.sigma());
    }

    private static double sumOfSquares(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v * v;
        }
        return s;
    }
}
