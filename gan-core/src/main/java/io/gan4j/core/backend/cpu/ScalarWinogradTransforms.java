package io.gan4j.core.backend.cpu;

/** {@link WinogradTransforms} in plain Java, one image at a time. */
final class ScalarWinogradTransforms implements WinogradTransforms {
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
}
