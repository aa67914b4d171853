package io.gan4j.core.backend.cpu;

/** The fused Adam/AdamW update of the CPU backend, one pass over the four arrays. */
final class CpuAdam {
    private final Parallel parallel;
    private final ElementwiseKernels kernels;

    CpuAdam(Parallel parallel, ElementwiseKernels kernels) {
        this.parallel = parallel;
        this.kernels = kernels;
    }

    /**
     * One update's constants, the bias corrections folded in as torch.optim.Adam does:
     * {@code p -= stepSize * m / (sqrt(v) / bc2Sqrt + eps)} with {@code stepSize = lr / (1 - beta1^t)} and
     * {@code bc2Sqrt = sqrt(1 - beta2^t)}; {@code decoupled} is AdamW's weight decay, else decay is added to
     * the gradient (L2).
     */
    record Coefficients(float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled,
                        float stepSize, float bc2Sqrt) {
        /** AdamW's factor: {@code w -= lr * weightDecay * w}. */
        float decoupledDecay() {
            return lr * weightDecay;
        }

        float oneMinusBeta1() {
            return 1 - beta1;
        }

        float oneMinusBeta2() {
            return 1 - beta2;
        }
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
        Coefficients c = new Coefficients(lr, beta1, beta2, eps, weightDecay, decoupled, lr / bc1, bc2Sqrt);
        parallel.forRange(param.size(), 1 << 14, (from, to) ->
                kernels.adam(p, po + from, g, go + from, ms, mo + from, vs, vo + from, to - from, c));
    }
}
