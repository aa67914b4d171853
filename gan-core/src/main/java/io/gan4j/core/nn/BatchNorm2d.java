package io.gan4j.core.nn;

/** Batch norm over {@code [N, C, H, W]} (PyTorch's nn.BatchNorm2d). */
public final class BatchNorm2d extends AbstractBatchNorm {
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, DEFAULT_EPS, DEFAULT_MOMENTUM, true);
    }

    public BatchNorm2d(int numFeatures, float eps, float momentum, boolean affine) {
        super(numFeatures, eps, momentum, affine);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 4;
    }

    @Override
    protected String expectedInput() {
        return "[N, " + numFeatures() + ", H, W]";
    }
}
