package io.gan4j.core.backend.cpu;

/** The fused Adam/AdamW update of the CPU backend, one pass over the four arrays. */
final class CpuAdam {
    private final Parallel parallel;

    CpuAdam(Parallel parallel) {
        this.parallel = parallel;
    }

    void step(CpuBuffer param, CpuBuffer grad, CpuBuffer m, CpuBuffer v, float lr, float beta1, float beta2,
              float eps, float weightDecay, boolean decoupled, long step) {
        float[] p = param.array();
        float[] g = grad.array();
        float[] ms = m.array();
        float[] vs = v.array();
        int po = param.offset();
        int go = grad.offset();
        int mo = m.offset();
        int vo = v.offset();
        float bc1 = (float) (1 - Math.pow(beta1, step));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
        float stepSize = lr / bc1;
        parallel.forRange(param.size(), 1 << 14, (from, to) -> {
            for (int i = from; i < to; i++) {
                float w = p[po + i];
                float gi = g[go + i];
                if (decoupled) {
                    w -= lr * weightDecay * w;
                } else if (weightDecay != 0f) {
                    gi += weightDecay * w;
                }
                float mi = beta1 * ms[mo + i] + (1 - beta1) * gi;
                float vi = beta2 * vs[vo + i] + (1 - beta2) * gi * gi;
                ms[mo + i] = mi;
                vs[vo + i] = vi;
                // as torch.optim.Adam: p -= lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps)
                p[po + i] = w - stepSize * mi / ((float) Math.sqrt(vi) / bc2Sqrt + eps);
            }
        });
    }
}
