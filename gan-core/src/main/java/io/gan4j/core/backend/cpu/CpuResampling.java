package io.gan4j.core.backend.cpu;

/** Nearest-neighbour upsampling and pixel shuffle of the CPU backend. */
final class CpuResampling {
    private final Parallel parallel;

    CpuResampling(Parallel parallel) {
        this.parallel = parallel;
    }

    void upsampleNearest(int planes, int h, int w, int fh, int fw, CpuBuffer x, CpuBuffer y) {
        float[] xs = x.array();
        float[] ys = y.array();
        int oh = h * fh;
        int ow = w * fw;
        parallel.forRange(planes * oh, 64, (from, to) -> {
            for (int row = from; row < to; row++) {
                int plane = row / oh;
                int src = x.offset() + (plane * h + (row % oh) / fh) * w;
                int dst = y.offset() + row * ow;
                for (int j = 0; j < ow; j++) ys[dst + j] = xs[src + j / fw];
            }
        });
    }

    void upsampleNearestBackward(int planes, int h, int w, int fh, int fw, CpuBuffer dy, CpuBuffer dx) {
        float[] gs = dy.array();
        float[] ds = dx.array();
        int ow = w * fw;
        parallel.forRange(planes * h, 64, (from, to) -> {
            for (int row = from; row < to; row++) {
                int plane = row / h;
                int i = row % h;
                int dst = dx.offset() + row * w;
                for (int j = 0; j < w; j++) {
                    float s = 0;
                    for (int a = 0; a < fh; a++) {
                        int src = dy.offset() + (plane * h * fh + i * fh + a) * ow + j * fw;
                        for (int b = 0; b < fw; b++) s += gs[src + b];
                    }
                    ds[dst + j] = s;
                }
            }
        });
    }

    /** {@code [n, c*r*r, h, w] <-> [n, c, h*r, w*r]}: y[n][c][i*r+a][j*r+b] = x[n][(c*r + a)*r + b][i][j]. */
    void pixelShuffle(int n, int c, int h, int w, int r, boolean inverse, CpuBuffer x, CpuBuffer y) {
        float[] xs = x.array();
        float[] ys = y.array();
        int oh = h * r;
        int ow = w * r;
        parallel.forRange(n * c * oh, 64, (from, to) -> {
            for (int row = from; row < to; row++) {
                int plane = row / oh;      // n * c + ch
                int oi = row % oh;
                int i = oi / r;
                int a = oi % r;
                int nn = plane / c;
                int ch = plane % c;
                int big = (plane * oh + oi) * ow;
                for (int oj = 0; oj < ow; oj++) {
                    int j = oj / r;
                    int b = oj % r;
                    int small = (((nn * c + ch) * r + a) * r + b) * h * w + i * w + j;
                    if (inverse) {
                        ys[y.offset() + small] = xs[x.offset() + big + oj];
                    } else {
                        ys[y.offset() + big + oj] = xs[x.offset() + small];
                    }
                }
            }
        });
    }
}
