package io.gan4j.models;

import io.gan4j.core.nn.Module;
import io.gan4j.core.ops.Ops;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * Max pooling with a square window equal to its stride (PyTorch's {@code nn.MaxPool2d(k)}, as in VGG), built
 * from gan-core's differentiable ops: crop to a multiple of {@code k} (PyTorch floors the same way), view
 * each window as two axes, take the maximum over them. Kept here because VGG is its only user so far;
 * it belongs in gan-core's nn once a second model needs it.
 */
public final class MaxPool2d extends Module {
    private final int kernelSize;

    public MaxPool2d(int kernelSize) {
        if (kernelSize < 1) {
            throw new IllegalArgumentException("MaxPool2d: kernel size must be >= 1, got " + kernelSize);
        }
        this.kernelSize = kernelSize;
    }

    @Override
    public Tensor forward(Tensor x) {
        int k = kernelSize;
        if (x.dim() != 4 || x.size(2) < k || x.size(3) < k) {
            throw new IllegalArgumentException(this + ": expected [N, C, H, W] with H, W >= " + k + ", got "
                    + Shape.str(x.shape()));
        }
        int n = x.size(0);
        int c = x.size(1);
        int h = x.size(2) / k;
        int w = x.size(3) / k;
        Tensor cropped = x;
        if (h * k != x.size(2)) {
            cropped = Ops.narrow(cropped, 2, 0, h * k);
        }
        if (w * k != x.size(3)) {
            cropped = Ops.narrow(cropped, 3, 0, w * k);
        }
        return cropped.reshape(n, c, h, k, w, k).max(new int[] {3, 5}, false);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernelSize + ", stride=" + kernelSize;
    }
}
