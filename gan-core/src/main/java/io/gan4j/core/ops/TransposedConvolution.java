package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.ConvGeometry;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * Transposed 2-D convolution (PyTorch's conv_transpose2d), weight {@code [in, out, kh, kw]}: the
 * backward-data pass of the {@link Convolution} described by the geometry, whose output is this op's input.
 */
public final class TransposedConvolution extends Function {
    private final ConvGeometry g;

    private TransposedConvolution(ConvGeometry g) {
        this.g = g;
    }

    /** PyTorch's {@code conv_transpose2d(x, w, stride, padding, output_padding)}. */
    public static Tensor apply(Tensor x, Tensor w, int stride, int padding, int outputPadding) {
        if (x.dim() != 4 || w.dim() != 4 || x.size(1) != w.size(0)) {
            throw new IllegalArgumentException("conv_transpose2d: input " + Shape.str(x.shape()) + " and weight "
                    + Shape.str(w.shape()) + " do not match (expected [N, C, H, W] and [C, K, R, S])");
        }
        ConvGeometry g;
        try {
            g = ConvGeometry.transposed(x.size(0), x.size(1), x.size(2), x.size(3), w.size(1),
                    w.size(2), w.size(3), stride, stride, padding, padding, outputPadding, outputPadding);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("conv_transpose2d: input " + Shape.str(x.shape()) + " and weight "
                    + Shape.str(w.shape()) + " with stride " + stride + ", padding " + padding + ", output padding "
                    + outputPadding + ": " + e.getMessage(), e);
        }
        return apply(x, w, g);
    }

    static Tensor apply(Tensor dy, Tensor w, ConvGeometry g) {
        Kernels.sameBackend("conv_transpose2d", dy, w);
        Tensor dx = Tensor.empty(dy.backend(), g.n(), g.c(), g.h(), g.w());
        dy.backend().conv2dBackwardData(g, dy.buffer(), w.buffer(), dx.buffer());
        return record(new TransposedConvolution(g), dx, dy, w);
    }

    @Override
    protected Tensor[] backward(Tensor gOut) {
        // out = convT(x, w): d/dx = conv(gOut, w); d/dw = filter grad of the convolution of gOut producing x
        return new Tensor[] {
            needsGrad(0) ? Convolution.apply(gOut, input(1), g) : null,
            needsGrad(1) ? ConvolutionFilterGrad.apply(gOut, input(0), g) : null};
    }
}
