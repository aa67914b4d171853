package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * Batch normalisation with batch statistics (training mode) over {@code [N, C, ...]}, per channel:
 * {@code gamma * (x - mean) / sqrt(var + eps) + beta}. Forward and backward are fused kernels, so it is
 * differentiable once; evaluation mode ({@link Ops#batchNormInference}) is plain differentiable math.
 */
public final class BatchNorm extends Function {
    private final int n;
    private final int c;
    private final int spatial;
    private Tensor saveMean;
    private Tensor saveInvStd;

    private BatchNorm(int n, int c, int spatial) {
        this.n = n;
        this.c = c;
        this.spatial = spatial;
    }

    /**
     * Normalises with the batch statistics and updates the running ones in place (they may be null).
     */
    public static Tensor apply(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                               float momentum, float eps) {
        int[] s = x.shape();
        if (s.length < 2 || gamma.numel() != s[1] || beta.numel() != s[1]) {
            throw new IllegalArgumentException("batch_norm: input " + Shape.str(s) + " with weight "
                    + Shape.str(gamma.shape()) + " and bias " + Shape.str(beta.shape()) + " (expected [N, C, ...] and [C])");
        }
        if ((runningMean == null) != (runningVar == null)
                || (runningMean != null && (runningMean.numel() != s[1] || runningVar.numel() != s[1]))) {
            throw new IllegalArgumentException("batch_norm: input " + Shape.str(s) + " with running mean "
                    + (runningMean == null ? "null" : Shape.str(runningMean.shape())) + " and running var "
                    + (runningVar == null ? "null" : Shape.str(runningVar.shape()))
                    + " (expected both [C], or both null)");
        }
        int c = s[1];
        int n = s[0];
        int spatial = (int) (x.numel() / n / c);
        if ((long) n * spatial < 2) {
            throw new IllegalArgumentException("batch_norm: expected more than 1 value per channel when training, got "
                    + Shape.str(s));
        }
        BatchNorm fn = new BatchNorm(n, c, spatial);
        Tensor y = Tensor.empty(x.backend(), s);
        fn.saveMean = Tensor.empty(x.backend(), c);
        fn.saveInvStd = Tensor.empty(x.backend(), c);
        x.backend().batchNormForwardTraining(n, c, spatial, x.buffer(), gamma.buffer(), beta.buffer(),
                runningMean == null ? null : runningMean.buffer(), runningVar == null ? null : runningVar.buffer(),
                momentum, eps, y.buffer(), fn.saveMean.buffer(), fn.saveInvStd.buffer());
        return record(fn, y, x, gamma, beta);
    }

    @Override
    protected Tensor[] backward(Tensor gy) {
        Tensor x = input(0);
        Tensor gamma = input(1);
        Tensor dx = Tensor.empty(x.backend(), x.shape());
        Tensor dGamma = Tensor.empty(x.backend(), gamma.shape());
        Tensor dBeta = Tensor.empty(x.backend(), gamma.shape());
        x.backend().batchNormBackward(n, c, spatial, x.buffer(), gy.buffer(), gamma.buffer(), saveMean.buffer(),
                saveInvStd.buffer(), dx.buffer(), dGamma.buffer(), dBeta.buffer());
        return new Tensor[] {
            onceDifferentiable(dx, x, gamma, gy),
            onceDifferentiable(dGamma, x, gy),
            onceDifferentiable(dBeta, gy)};
    }
}
