package io.gan4j.core.nn;

import io.gan4j.core.ops.Ops;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * Transposed 2-D convolution (the generator's upsampling layer), as PyTorch's nn.ConvTranspose2d: weight
 * {@code [in, out, k, k]}, bias {@code [out]}; output size {@code (H - 1) * stride - 2 * padding + k + outputPadding}.
 */
public final class ConvTranspose2d extends Module implements WeightedLayer {
    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final int outputPadding;

    /** With PyTorch's default initialisation, drawn from {@code gen}. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding,
                           int outputPadding, boolean bias, Generator gen) {
        if (inChannels < 1 || outChannels < 1 || kernelSize < 1 || stride < 1 || padding < 0 || outputPadding < 0) {
            throw new IllegalArgumentException("ConvTranspose2d: invalid settings in=" + inChannels + " out="
                    + outChannels + " kernel=" + kernelSize + " stride=" + stride + " padding=" + padding
                    + " output_padding=" + outputPadding);
        }
        if (outputPadding >= stride) {
            throw new IllegalArgumentException("ConvTranspose2d: output_padding (" + outputPadding
                    + ") must be smaller than stride (" + stride + ")");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        Tensor w = registerParameter("weight", persistentZeros(inChannels, outChannels, kernelSize, kernelSize));
        Tensor b = bias ? registerParameter("bias", persistentZeros(outChannels)) : null;
        Init.pytorchDefault(w, b, gen);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Generator gen) {
        this(inChannels, outChannels, kernelSize, stride, padding, 0, true, gen);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    /** The bias, or null for a layer without one. */
    public Tensor bias() {
        return parameterOrNull("bias");
    }

    /** The weight is {@code [in, out, k, k]}: output features are axis 1. */
    @Override
    public int weightOutputAxis() {
        return 1;
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
        int h = (x.size(2) - 1) * stride - 2 * padding + kernelSize + outputPadding;
        int w = (x.size(3) - 1) * stride - 2 * padding + kernelSize + outputPadding;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException(this + ": input " + Shape.str(x.shape()) + " gives an empty output ("
                    + h + "x" + w + ")");
        }
        Tensor y = Ops.convTranspose2d(x, weight, stride, padding, outputPadding);
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
        if (outputPadding != 0) {
            s += ", output_padding=(" + outputPadding + ", " + outputPadding + ")";
        }
        return bias() == null ? s + ", bias=False" : s;
    }
}
