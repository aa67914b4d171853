package io.gan4j.core.nn;

import io.gan4j.core.ops.Ops;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/** {@code [N, C*r*r, H, W] -> [N, C, H*r, W*r]}: SRGAN's sub-pixel upsampling (PyTorch's nn.PixelShuffle). */
public final class PixelShuffle extends Module {
    private final int upscaleFactor;

    public PixelShuffle(int upscaleFactor) {
        if (upscaleFactor < 1) {
            throw new IllegalArgumentException("PixelShuffle: upscale factor must be >= 1, got " + upscaleFactor);
        }
        this.upscaleFactor = upscaleFactor;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(1) % (upscaleFactor * upscaleFactor) != 0) {
            throw new IllegalArgumentException(this + ": expected input [N, C*" + upscaleFactor * upscaleFactor
                    + ", H, W], got " + Shape.str(x.shape()));
        }
        return Ops.pixelShuffle(x, upscaleFactor);
    }

    @Override
    protected String extraRepr() {
        return "upscale_factor=" + upscaleFactor;
    }
}
