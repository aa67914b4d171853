package io.gan4j.core.backend.cpu;

/**
 * Plain-Java {@link GemmKernel}, used when the Vector API is absent. C itself is the accumulator (the tile
 * is in L1), and Math.fma keeps the rounding of every step identical to the vector kernels'.
 */
final class ScalarGemmKernel implements GemmKernel {
    /** The tile width of the 256-bit vector kernel; tests also build one as wide as the 512-bit kernel's. */
    static final int DEFAULT_NR = 16;

    private final int nr;

    ScalarGemmKernel() {
        this(DEFAULT_NR);
    }

    ScalarGemmKernel(int nr) {
        this.nr = nr;
    }

    @Override
    public int nr() {
        return nr;
    }

    @Override
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc,
                     int start, float beta) {
        for (int i = 0; i < MR; i++) {
            int row = cOff + i * ldc;
            if (start == FROM_ZERO) {
                java.util.Arrays.fill(c, row, row + nr, 0f);
            } else if (start == FROM_SCALED_C) {
                for (int j = 0; j < nr; j++) {
                    c[row + j] *= beta;
                }
            }
        }
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * nr;
            for (int i = 0; i < MR; i++) {
                float av = a[aOff + p * MR + i];
                int row = cOff + i * ldc;
                for (int j = 0; j < nr; j++) {
                    c[row + j] = Math.fma(av, b[bp + j], c[row + j]);
                }
            }
        }
    }

    @Override
    public float dot(int k, float[] a, int aOff, float[] x, int xOff) {
        float[] s = new float[DOT_LANES];   // one small array per dot product, not per element
        int p = 0;
        for (; p + DOT_LANES <= k; p += DOT_LANES) {
            for (int l = 0; l < DOT_LANES; l++) {
                s[l] = Math.fma(a[aOff + p + l], x[xOff + p + l], s[l]);
            }
        }
        float r = 0f;
        for (; p < k; p++) {
            r = Math.fma(a[aOff + p], x[xOff + p], r);
        }
        float[] t = new float[8];
        for (int l = 0; l < 8; l++) {
            t[l] = (s[l] + s[l + 8]) + (s[l + 16] + s[l + 24]);
        }
        return ((t[0] + t[1]) + (t[2] + t[3])) + ((t[4] + t[5]) + (t[6] + t[7])) + r;
    }

    @Override
    public void axpy(int len, float s, float[] x, int xOff, float[] y, int yOff) {
        for (int j = 0; j < len; j++) {
            y[yOff + j] = Math.fma(s, x[xOff + j], y[yOff + j]);
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
