package io.gan4j.core.backend.cpu;

/** {@link WinogradTransforms} in plain Java, one element of a run at a time. */
final class ScalarWinogradTransforms implements WinogradTransforms {
    // G's fractions as multipliers (a division costs several multiplications; the product may differ from the
    // quotient in the last bit, far inside the algorithm's own rounding). Shared with the vector transforms.
    static final float QUARTER = 0.25f;
    static final float THIRD = 1f / 3;
    static final float SIXTH = 1f / 6;
    static final float TWELFTH = 1f / 12;
    static final float TWENTY_FOURTH = 1f / 24;

    @Override
    public void input(float[] d, int di, int ds, float[] o, int oi, int os, int n) {
        for (int j = 0; j < n; j++) {
            float d0 = d[di + j];
            float d1 = d[di + ds + j];
            float d2 = d[di + 2 * ds + j];
            float d3 = d[di + 3 * ds + j];
            float d4 = d[di + 4 * ds + j];
            float d5 = d[di + 5 * ds + j];
            o[oi + j] = 4 * d0 - 5 * d2 + d4;
            o[oi + os + j] = 4 * (d1 + d2) - (d3 + d4);
            o[oi + 2 * os + j] = 4 * (d2 - d1) + (d3 - d4);
            o[oi + 3 * os + j] = 2 * (d3 - d1) + (d4 - d2);
            o[oi + 4 * os + j] = 2 * (d1 - d3) + (d4 - d2);
            o[oi + 5 * os + j] = 4 * d1 - 5 * d3 + d5;
        }
    }

    @Override
    public void output(float[] m, int mi, int ms, float[] o, int oi, int os, int n) {
        for (int j = 0; j < n; j++) {
            float m1 = m[mi + ms + j];
            float m2 = m[mi + 2 * ms + j];
            float m3 = m[mi + 3 * ms + j];
            float m4 = m[mi + 4 * ms + j];
            o[oi + j] = m[mi + j] + (m1 + m2) + (m3 + m4);
            o[oi + os + j] = (m1 - m2) + 2 * (m3 - m4) + m[mi + 5 * ms + j];
        }
    }

    @Override
    public void outputGradient(float[] y, int yi, int ys, float[] o, int oi, int os, int n) {
        for (int j = 0; j < n; j++) {
            float y0 = y[yi + j];
            float y1 = y[yi + ys + j];
            o[oi + j] = y0;
            o[oi + os + j] = y0 + y1;
            o[oi + 2 * os + j] = y0 - y1;
            o[oi + 3 * os + j] = y0 + 2 * y1;
            o[oi + 4 * os + j] = y0 - 2 * y1;
            o[oi + 5 * os + j] = y1;
        }
    }

    @Override
    public void kernel(float[] k, int ki, int ks, float[] o, int oi, int os, int n) {
        for (int j = 0; j < n; j++) {
            float x0 = k[ki + j];
            float x1 = k[ki + ks + j];
            float x2 = k[ki + 2 * ks + j];
            float x3 = k[ki + 3 * ks + j];
            float x4 = k[ki + 4 * ks + j];
            float even = x0 + x2 + x4;
            float odd = x1 + x3;
            float even2 = x0 + 4 * x2 + 16 * x4;
            float odd2 = 2 * x1 + 8 * x3;
            o[oi + j] = x0 * QUARTER;
            o[oi + os + j] = (even + odd) * SIXTH;
            o[oi + 2 * os + j] = (even - odd) * SIXTH;
            o[oi + 3 * os + j] = (even2 + odd2) * TWENTY_FOURTH;
            o[oi + 4 * os + j] = (even2 - odd2) * TWENTY_FOURTH;
            o[oi + 5 * os + j] = x4;
        }
    }

    @Override
    public void kernelGradient(float[] u, int ui, int us, float[] o, int oi, int os, int n) {
        for (int j = 0; j < n; j++) {
            float u1 = u[ui + us + j];
            float u2 = u[ui + 2 * us + j];
            float u3 = u[ui + 3 * us + j];
            float u4 = u[ui + 4 * us + j];
            float plus = u1 + u2;
            float minus = u1 - u2;
            float plus2 = u3 + u4;
            float minus2 = u3 - u4;
            o[oi + j] = u[ui + j] * QUARTER + plus * SIXTH + plus2 * TWENTY_FOURTH;
            o[oi + os + j] = minus * SIXTH + minus2 * TWELFTH;
            o[oi + 2 * os + j] = plus * SIXTH + plus2 * SIXTH;
            o[oi + 3 * os + j] = minus * SIXTH + minus2 * THIRD;
            o[oi + 4 * os + j] = plus * SIXTH + 2 * plus2 * THIRD + u[ui + 5 * us + j];
        }
    }
}
