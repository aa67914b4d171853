package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.ConvGeometry;
import io.gan4j.core.tensor.Tensor;

/** The weight gradient of a {@link Convolution}: {@code dw = filter_grad(x, dy)}, bilinear in x and dy. */
public final class ConvolutionFilterGrad extends Function {
    private final ConvGeometry g;

    private ConvolutionFilterGrad(ConvGeometry g) {
        this.g = g;
    }

    static Tensor apply(Tensor x, Tensor dy, ConvGeometry g) {
        Kernels.sameBackend("conv2d_weight_grad", x, dy);
        Tensor dw = Tensor.empty(x.backend(), g.k(), g.c(), g.r(), g.s());
        x.backend().conv2dBackwardFilter(g, x.buffer(), dy.buffer(), dw.buffer());
        return record(new ConvolutionFilterGrad(g), dw, x, dy);
    }

    @Override
    protected Tensor[] backward(Tensor gw) {
        return new Tensor[] {
            needsGrad(0) ? TransposedConvolution.apply(input(1), gw, g) : null,
            needsGrad(1) ? Convolution.apply(input(0), gw, g) : null};
    }
}
