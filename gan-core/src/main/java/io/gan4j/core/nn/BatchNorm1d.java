package io.gan4j.core.nn;

/** Batch norm over {@code [N, C]} or {@code [N, C, L]} (PyTorch's nn.BatchNorm1d). */
public final class BatchNorm1d extends AbstractBatchNorm {
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, DEFAULT_EPS, DEFAULT_MOMENTUM, true);
    }

    public BatchNorm1d(int numFeatures, float eps, float momentum, boolean affine) {
        super(numFeatures, eps, momentum, affine);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }

    @Override
    protected String expectedInput() {
        return "[N, " + numFeatures() + "] or [N, " + numFeatures() + ", L]";
    }
}
