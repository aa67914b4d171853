package io.gan4j.core.nn;

import io.gan4j.core.ops.Ops;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/** Nearest-neighbour upsampling of {@code [N, C, H, W]} by an integer factor (PyTorch's nn.Upsample, mode 'nearest'). */
public final class Upsample extends Module {
    private final int scaleFactor;

    public Upsample(int scaleFactor) {
        if (scaleFactor < 1) {
            throw new IllegalArgumentException("Upsample: scale factor must be >= 1, got " + scaleFactor);
        }
        this.scaleFactor = scaleFactor;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException(this + ": expected input [N, C, H, W], got " + Shape.str(x.shape()));
        }
        return Ops.upsampleNearest(x, scaleFactor);
    }

    @Override
    protected String extraRepr() {
        return "scale_factor=" + scaleFactor + ".0, mode='nearest'";
    }
}
