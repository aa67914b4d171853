package io.gan4j.core.backend.cpu;

/** Batch normalisation of the CPU backend over {@code [n, c, spatial]}; one task per channel. */
final class CpuBatchNorm {
    private final Parallel parallel;

    CpuBatchNorm(Parallel parallel) {
        this.parallel = parallel;
    }

    void forwardTraining(int n, int c, int spatial, CpuBuffer x, CpuBuffer gamma, CpuBuffer beta,
                         CpuBuffer runningMean, CpuBuffer runningVar, float momentum, float eps,
                         CpuBuffer y, CpuBuffer saveMean, CpuBuffer saveInvStd) {
        float[] xs = x.array();
        float[] ys = y.array();
        float[] gs = gamma.array();
        float[] bs = beta.array();
        float[] sm = saveMean.array();
        float[] si = saveInvStd.array();
        float[] rm = runningMean == null ? null : runningMean.array();
        float[] rv = runningVar == null ? null : runningVar.array();
        long count = (long) n * spatial;
        parallel.forRange(c, 1, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                // two passes in double: the mean, then the centred sum of squares
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    int base = x.offset() + (i * c + ch) * spatial;
                    for (int j = 0; j < spatial; j++) sum += xs[base + j];
                }
                double mean = sum / count;
                double sq = 0;
                for (int i = 0; i < n; i++) {
                    int base = x.offset() + (i * c + ch) * spatial;
                    for (int j = 0; j < spatial; j++) {
                        double d = xs[base + j] - mean;
                        sq += d * d;
                    }
                }
                double var = sq / count;
                float invStd = (float) (1.0 / Math.sqrt(var + eps));
                sm[saveMean.offset() + ch] = (float) mean;
                si[saveInvStd.offset() + ch] = invStd;
                if (rm != null) {
                    double unbiased = count > 1 ? sq / (count - 1) : var;
                    int mo = runningMean.offset() + ch;
                    int vo = runningVar.offset() + ch;
                    rm[mo] = (float) ((1 - momentum) * rm[mo] + momentum * mean);
                    rv[vo] = (float) ((1 - momentum) * rv[vo] + momentum * unbiased);
                }
                // (x - mean) * scale + beta with the centring in double: x * scale + (beta - mean * scale)
                // cancels catastrophically when |mean| is large next to the spread
                double scale = (double) gs[gamma.offset() + ch] * invStd;
                float shift = bs[beta.offset() + ch];
                for (int i = 0; i < n; i++) {
                    int xb = x.offset() + (i * c + ch) * spatial;
                    int yb = y.offset() + (i * c + ch) * spatial;
                    for (int j = 0; j < spatial; j++) ys[yb + j] = (float) ((xs[xb + j] - mean) * scale) + shift;
                }
            }
        });
    }

    void forwardInference(int n, int c, int spatial, CpuBuffer x, CpuBuffer gamma, CpuBuffer beta,
                          CpuBuffer runningMean, CpuBuffer runningVar, float eps, CpuBuffer y) {
        float[] xs = x.array();
        float[] ys = y.array();
        parallel.forRange(c, 1, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                float invStd = (float) (1.0 / Math.sqrt(runningVar.array()[runningVar.offset() + ch] + eps));
                float m = runningMean.array()[runningMean.offset() + ch];
                float scale = gamma.array()[gamma.offset() + ch] * invStd;
                float shift = beta.array()[beta.offset() + ch];
                for (int i = 0; i < n; i++) {
                    int xb = x.offset() + (i * c + ch) * spatial;
                    int yb = y.offset() + (i * c + ch) * spatial;
                    for (int j = 0; j < spatial; j++) ys[yb + j] = (xs[xb + j] - m) * scale + shift;
                }
            }
        });
    }

    void backward(int n, int c, int spatial, CpuBuffer x, CpuBuffer dy, CpuBuffer gamma,
                  CpuBuffer saveMean, CpuBuffer saveInvStd, CpuBuffer dx, CpuBuffer dGamma, CpuBuffer dBeta) {
        float[] xs = x.array();
        float[] dys = dy.array();
        float[] dxs = dx.array();
        long count = (long) n * spatial;
        parallel.forRange(c, 1, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                float mean = saveMean.array()[saveMean.offset() + ch];
                float invStd = saveInvStd.array()[saveInvStd.offset() + ch];
                double sumDy = 0;
                double sumDyXhat = 0;
                for (int i = 0; i < n; i++) {
                    int xb = x.offset() + (i * c + ch) * spatial;
                    int db = dy.offset() + (i * c + ch) * spatial;
                    for (int j = 0; j < spatial; j++) {
                        float g = dys[db + j];
                        sumDy += g;
                        sumDyXhat += g * (xs[xb + j] - mean) * invStd;
                    }
                }
                dGamma.array()[dGamma.offset() + ch] = (float) sumDyXhat;
                dBeta.array()[dBeta.offset() + ch] = (float) sumDy;
                // dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat))
                float k = gamma.array()[gamma.offset() + ch] * invStd;
                float meanDy = (float) (sumDy / count);
                float meanDyXhat = (float) (sumDyXhat / count);
                for (int i = 0; i < n; i++) {
                    int xb = x.offset() + (i * c + ch) * spatial;
                    int db = dy.offset() + (i * c + ch) * spatial;
                    int ob = dx.offset() + (i * c + ch) * spatial;
                    for (int j = 0; j < spatial; j++) {
                        float xhat = (xs[xb + j] - mean) * invStd;
                        dxs[ob + j] = k * (dys[db + j] - meanDy - xhat * meanDyXhat);
                    }
                }
            }
        });
    }
}
