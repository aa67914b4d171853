package io.gan4j.core.backend.cpu;

/**
 * Plain-Java {@link GemmKernel}, used when the Vector API is absent. C itself is the accumulator (the tile
 * is in L1), and Math.fma keeps the rounding of every step identical to the vector kernel's.
 */
final class ScalarGemmKernel implements GemmKernel {

    @Override
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc,
                     int start, float beta) {
        for (int i = 0; i < MR; i++) {
            int row = cOff + i * ldc;
            if (start == FROM_ZERO) {
                java.util.Arrays.fill(c, row, row + NR, 0f);
            } else if (start == FROM_SCALED_C) {
                for (int j = 0; j < NR; j++) {
                    c[row + j] *= beta;
                }
            }
        }
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            for (int i = 0; i < MR; i++) {
                float av = a[aOff + p * MR + i];
                int row = cOff + i * ldc;
                for (int j = 0; j < NR; j++) {
                    c[row + j] = Math.fma(av, b[bp + j], c[row + j]);
                }
            }
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
