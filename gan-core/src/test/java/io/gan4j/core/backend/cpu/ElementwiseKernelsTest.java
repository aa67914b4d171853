package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The Vector API elementwise kernels (when present) give the plain-Java bits for every op, on runs with and without
 * a tail, at offsets, and on inputs that hold the values where Java's float semantics are particular (NaN, -0,
 * infinities, subnormals). gan-core's pom runs this class again at each vector width.
 */
class ElementwiseKernelsTest {
    private static final float[] SPECIAL = {Float.NaN, Float.intBitsToFloat(0xffc00000), -0f, 0f,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, 1f, -1f};
    private static final int[] LENGTHS = {1, 7, 16, 33, 100, 1000};

    private final ElementwiseKernels chosen = VectorSupport.elementwiseKernels();
    private final ElementwiseKernels plain = new ScalarElementwiseKernels();

    @Test
    void theVectorKernelsLoadWhereTheVectorApiIsPresent() {
        if (VectorSupport.whyNotVector() == null) {
            assertFalse(chosen.getClass() == ScalarElementwiseKernels.class, "the vector kernels should have loaded");
        }
    }

    @Test
    void unaryOpsMatchPlainJavaBitForBit() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (UnaryOp op : UnaryOp.values()) {
            for (float a : new float[] {0f, 0.2f, -1.5f, 2f}) {
                for (int n : LENGTHS) {
                    float[] x = data(rnd, n + 5);
                    float[] p = new float[n + 4];
                    float[] v = new float[n + 4];
                    plain.unary(op, a, x, 5, p, 3, n);
                    chosen.unary(op, a, x, 5, v, 3, n);
                    assertSameBits(op + " a=" + a + " n=" + n, p, v);
                    // in place
                    float[] q = x.clone();
                    float[] w = x.clone();
                    plain.unary(op, a, q, 2, q, 2, n);
                    chosen.unary(op, a, w, 2, w, 2, n);
                    assertSameBits(op + " in place, n=" + n, q, w);
                }
            }
        }
    }

    @Test
    void binaryOpsMatchPlainJavaBitForBit() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (BinaryOp op : BinaryOp.values()) {
            for (int n : LENGTHS) {
                float[] a = data(rnd, n + 2);
                float[] b = data(rnd, n + 7);
                float[][] p = new float[3][n + 1];
                float[][] v = new float[3][n + 1];
                plain.binary(op, a, 2, b, 7, p[0], 1, n);
                chosen.binary(op, a, 2, b, 7, v[0], 1, n);
                plain.binaryScalarRight(op, a, 1, b[3], p[1], 0, n);
                chosen.binaryScalarRight(op, a, 1, b[3], v[1], 0, n);
                plain.binaryScalarLeft(op, a[0], b, 4, p[2], 1, n);
                chosen.binaryScalarLeft(op, a[0], b, 4, v[2], 1, n);
                for (int k = 0; k < 3; k++) {
                    assertSameBits(op + " form " + k + " n=" + n, p[k], v[k]);
                }
            }
        }
    }

    @Test
    void axpbyAndAddToMatchPlainJavaBitForBit() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int n : LENGTHS) {
            float[] x = data(rnd, n + 3);
            float[] y = data(rnd, n + 1);
            float[] p = y.clone();
            float[] v = y.clone();
            plain.axpby(0.005f, x, 3, 0.995f, p, 1, n);
            chosen.axpby(0.005f, x, 3, 0.995f, v, 1, n);
            assertSameBits("axpby n=" + n, p, v);
            plain.addTo(x, 2, p, 0, n);
            chosen.addTo(x, 2, v, 0, n);
            assertSameBits("addTo n=" + n, p, v);
        }
    }

    @Test
    void adamMatchesPlainJavaBitForBit() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int variant = 0; variant < 3; variant++) {
            // none, L2, decoupled (AdamW) weight decay
            CpuAdam.Coefficients c = new CpuAdam.Coefficients(1e-3f, 0.5f, 0.999f, 1e-8f, variant == 0 ? 0f : 0.01f,
                    variant == 2, 1e-3f / 0.75f, (float) Math.sqrt(1 - 0.999 * 0.999));
            for (int n : LENGTHS) {
                float[] g = data(rnd, n + 2);
                float[] p0 = data(rnd, n + 1);
                float[] m0 = data(rnd, n + 3);
                float[] v0 = new float[n];
                for (int i = 0; i < n; i++) {
                    v0[i] = Math.abs(data(rnd, 1)[0]);
                }
                float[][] p = {p0.clone(), m0.clone(), v0.clone()};
                float[][] v = {p0.clone(), m0.clone(), v0.clone()};
                for (int step = 0; step < 3; step++) {
                    plain.adam(p[0], 1, g, 2, p[1], 3, p[2], 0, n, c);
                    chosen.adam(v[0], 1, g, 2, v[1], 3, v[2], 0, n, c);
                }
                for (int k = 0; k < 3; k++) {
                    assertSameBits("adam variant " + variant + " array " + k + " n=" + n, p[k], v[k]);
                }
            }
        }
    }

    /** Gaussian values of several scales, one in eight of them a special value. */
    private static float[] data(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextInt(8) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)]
                    : (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3));
        }
        return v;
    }

    /** The same bits, every NaN counted as one value (its payload is not part of Java's float semantics). */
    private static void assertSameBits(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                    what + ", element " + i + ": " + expected[i] + " against " + actual[i]);
        }
    }
}
