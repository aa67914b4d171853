package io.gan4j.core.nn;

import io.gan4j.core.ops.Ops;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * Batch normalisation per channel (axis 1), as PyTorch's {@code _BatchNorm}: affine {@code weight} (1) and
 * {@code bias} (0), buffers {@code running_mean} (0) and {@code running_var} (1). Training normalises with
 * the batch statistics and updates the running ones ({@code r = (1 - momentum) r + momentum * batch}, the
 * variance unbiased); evaluation normalises with the running statistics. PyTorch's
 * {@code num_batches_tracked} is not kept: it only matters when momentum is unset, which
 * {@link #startCumulativeAverage} stands in for.
 */
public abstract class AbstractBatchNorm extends Module {
    public static final float DEFAULT_EPS = 1e-5f;
    public static final float DEFAULT_MOMENTUM = 0.1f;

    private final int numFeatures;
    private final float eps;
    private final float momentum;
    /** Batches averaged since {@link #startCumulativeAverage}, or -1 while the running statistics follow the momentum. */
    private long averagedBatches = -1;

    protected AbstractBatchNorm(int numFeatures, float eps, float momentum, boolean affine) {
        if (numFeatures < 1 || !(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": invalid settings num_features="
                    + numFeatures + " eps=" + eps + " momentum=" + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        if (affine) {
            Init.ones(registerParameter("weight", persistentZeros(numFeatures)));
            registerParameter("bias", persistentZeros(numFeatures));
        }
        registerBuffer("running_mean", persistentZeros(numFeatures));
        Init.ones(registerBuffer("running_var", persistentZeros(numFeatures)));
    }

    /** Whether an input of this rank is accepted (2 or 3 for BatchNorm1d, 4 for BatchNorm2d). */
    protected abstract boolean acceptsRank(int rank);

    /** The accepted input shapes, for messages. */
    protected abstract String expectedInput();

    public int numFeatures() {
        return numFeatures;
    }

    /** The scale, or null without affine parameters. */
    public Tensor weight() {
        return parameterOrNull("weight");
    }

    /** The shift, or null without affine parameters. */
    public Tensor bias() {
        return parameterOrNull("bias");
    }

    public Tensor runningMean() {
        return buffer("running_mean");
    }

    public Tensor runningVar() {
        return buffer("running_var");
    }

    /**
     * Resets the running statistics and makes them the plain average of the batches seen next in training mode
     * (PyTorch's {@code momentum=None} after {@code reset_running_stats()}), until {@link #stopCumulativeAverage}.
     * This is how statistics are recomputed for weights that were never trained as such, e.g. an EMA's.
     */
    public void startCumulativeAverage() {
        Init.zeros(runningMean());
        Init.ones(runningVar());
        averagedBatches = 0;
    }

    /** Back to the exponential running average with the momentum. */
    public void stopCumulativeAverage() {
        averagedBatches = -1;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!acceptsRank(x.dim()) || x.size(1) != numFeatures) {
            throw new IllegalArgumentException(this + ": expected input " + expectedInput() + ", got "
                    + Shape.str(x.shape()));
        }
        Tensor gamma = weight();
        Tensor beta = bias();
        if (gamma == null) {
            // the kernels take a scale and shift; without affine parameters they are fixed constants
            gamma = Tensor.ones(x.backend(), numFeatures);
            beta = Tensor.zeros(x.backend(), numFeatures);
        }
        if (isTraining()) {
            long perChannel = x.numel() / numFeatures;
            if (perChannel < 2) {
                throw new IllegalArgumentException(this + ": expected more than 1 value per channel when training, got input "
                        + Shape.str(x.shape()) + " (use a larger batch, or eval())");
            }
            // the k-th batch of a cumulative average weighs 1/k, so all k end up with the same weight
            float m = averagedBatches < 0 ? momentum : 1f / ++averagedBatches;
            return Ops.batchNorm(x, gamma, beta, runningMean(), runningVar(), m, eps);
        }
        return Ops.batchNormInference(x, gamma, beta, runningMean(), runningVar(), eps);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + pyFloat(eps) + ", momentum=" + pyFloat(momentum) + ", affine="
                + (weight() != null ? "True" : "False") + ", track_running_stats=True";
    }
}
