package io.gan4j.core.backend.cpu;

/**
 * Matrix-vector products for GEMMs with one row or one column ({@code m == 1} or {@code n == 1}), where the
 * packed kernel would waste most of its 6 x 16 tile: {@code y = alpha * M x + beta * y} for a matrix M
 * stored row-major either as it is used (dot products of its rows with x) or transposed (a sum of its
 * rows scaled by x). Each output element is one fixed chain of operations, whichever thread computes it.
 */
final class Gemv {
    private Gemv() {
    }

    /**
     * {@code y[i * incY] = alpha * dot(row i of M, x) + beta * y[...]} for rows {@code [from, to)}, where row i
     * is {@code m[mOff + i * ldm ...]} (k floats) and x is {@code x[xOff ...]}, dense.
     */
    static void rowDots(GemmKernel kernel, int from, int to, int k, float alpha, float[] m, int mOff, int ldm, float[] x, int xOff,
                        float beta, float[] y, int yOff, int incY) {
        for (int i = from; i < to; i++) {
            float d = kernel.dot(k, m, mOff + i * ldm, x, xOff);
            int yi = yOff + i * incY;
            y[yi] = beta == 0f ? alpha * d : alpha * d + beta * y[yi];
        }
    }

    /**
     * {@code y[j * incY] = alpha * sum over p of x[p] * M[p][j] + beta * y[...]} for columns {@code [from, to)},
     * M row p at {@code m[mOff + p * ldm ...]}, x[p] at {@code x[xOff + p * incX]}; acc is scratch of at least {@code to - from} floats. Rows of M
     * are read whole, so this streams M once.
     */
    static void rowCombination(GemmKernel kernel, int from, int to, int k, float alpha, float[] m, int mOff, int ldm,
                               float[] x, int xOff, int incX, float beta, float[] y, int yOff, int incY, float[] acc) {
        int len = to - from;
        java.util.Arrays.fill(acc, 0, len, 0f);
        for (int p = 0; p < k; p++) {
            kernel.axpy(len, x[xOff + p * incX], m, mOff + p * ldm + from, acc, 0);
        }
        for (int j = 0; j < len; j++) {
            int yj = yOff + (from + j) * incY;
            y[yj] = beta == 0f ? alpha * acc[j] : alpha * acc[j] + beta * y[yj];
        }
    }
}
