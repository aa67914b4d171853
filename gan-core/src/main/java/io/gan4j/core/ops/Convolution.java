package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.ConvGeometry;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, as PyTorch), NCHW, weight {@code [out, in, kh, kw]}, no bias.
 * Its backward is a {@link TransposedConvolution} and a {@link ConvolutionFilterGrad}; the three ops are
 * each other's derivatives, so any order of derivative works.
 */
public final class Convolution extends Function {
    private final ConvGeometry g;

    private Convolution(ConvGeometry g) {
        this.g = g;
    }

    /** The geometry of convolving {@code x} with {@code w}, or a clear error. */
    public static ConvGeometry geometry(Tensor x, Tensor w, int strideH, int strideW, int padH, int padW) {
        if (x.dim() != 4 || w.dim() != 4 || x.size(1) != w.size(1)) {
            throw new IllegalArgumentException("conv2d: input " + Shape.str(x.shape()) + " and weight "
                    + Shape.str(w.shape()) + " do not match (expected [N, C, H, W] and [K, C, R, S])");
        }
        try {
            return ConvGeometry.forward(x.size(0), x.size(1), x.size(2), x.size(3), w.size(0), w.size(2), w.size(3),
                    strideH, strideW, padH, padW);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("conv2d: input " + Shape.str(x.shape()) + " and weight "
                    + Shape.str(w.shape()) + " with stride " + strideH + "x" + strideW + ", padding " + padH + "x"
                    + padW + ": " + e.getMessage(), e);
        }
    }

    public static Tensor apply(Tensor x, Tensor w, int stride, int padding) {
        return apply(x, w, geometry(x, w, stride, stride, padding, padding));
    }

    static Tensor apply(Tensor x, Tensor w, ConvGeometry g) {
        Kernels.sameBackend("conv2d", x, w);
        Tensor y = Tensor.empty(x.backend(), g.n(), g.k(), g.p(), g.q());
        x.backend().conv2dForward(g, x.buffer(), w.buffer(), y.buffer());
        return record(new Convolution(g), y, x, w);
    }

    @Override
    protected Tensor[] backward(Tensor gy) {
        return new Tensor[] {
            needsGrad(0) ? TransposedConvolution.apply(gy, input(1), g) : null,
            needsGrad(1) ? ConvolutionFilterGrad.apply(input(0), gy, g) : null};
    }
}
