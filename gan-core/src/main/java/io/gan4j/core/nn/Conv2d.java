package io.gan4j.core.nn;

import io.gan4j.core.ops.Ops;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * 2-D convolution over NCHW input with a square kernel, as PyTorch's nn.Conv2d: weight
 * {@code [out, in, k, k]}, bias {@code [out]}.
 */
public final class Conv2d extends Module implements WeightedLayer {
    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;

    /** With PyTorch's default initialisation, drawn from {@code gen}. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias,
                  Generator gen) {
        if (inChannels < 1 || outChannels < 1 || kernelSize < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: invalid settings in=" + inChannels + " out=" + outChannels
                    + " kernel=" + kernelSize + " stride=" + stride + " padding=" + padding);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        Tensor w = registerParameter("weight", persistentZeros(outChannels, inChannels, kernelSize, kernelSize));
        Tensor b = bias ? registerParameter("bias", persistentZeros(outChannels)) : null;
        Init.pytorchDefault(w, b, gen);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Generator gen) {
        this(inChannels, outChannels, kernelSize, stride, padding, true, gen);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null for a layer without one. */
    public Tensor bias() {
        return parameterOrNull("bias");
    }

    @Override
    public Tensor forward(Tensor x) {
        return forwardWithWeight(x, weight());
    }

    @Override
    public Tensor forwardWithWeight(Tensor x, Tensor weight) {
        if (x.dim() != 4 || x.size(1) != inChannels) {
            throw new IllegalArgumentException(this + ": expected input [N, " + inChannels + ", H, W], got "
                    + Shape.str(x.shape()));
        }
        if (x.size(2) + 2 * padding < kernelSize || x.size(3) + 2 * padding < kernelSize) {
            throw new IllegalArgumentException(this + ": input " + Shape.str(x.shape())
                    + " is smaller than the kernel (" + kernelSize + "x" + kernelSize + ") after padding");
        }
        Tensor y = Ops.conv2d(x, weight, stride, padding);
        Tensor b = bias();
        return b == null ? y : Ops.addChannelBias(y, b);
    }

    @Override
    protected String extraRepr() {
        String s = inChannels + ", " + outChannels + ", kernel_size=(" + kernelSize + ", " + kernelSize
                + "), stride=(" + stride + ", " + stride + ")";
        if (padding != 0) {
            s += ", padding=(" + padding + ", " + padding + ")";
        }
        return bias() == null ? s + ", bias=False" : s;
    }
}
