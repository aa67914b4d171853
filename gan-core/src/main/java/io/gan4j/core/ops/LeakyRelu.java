package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Tensor;

/** {@code x > 0 ? x : slope * x}; ReLU is slope 0. */
public final class LeakyRelu extends Function {
    private final float slope;

    private LeakyRelu(float slope) {
        this.slope = slope;
    }

    public static Tensor apply(Tensor x, float slope) {
        UnaryOp op = slope == 0f ? UnaryOp.RELU : UnaryOp.LEAKY_RELU;
        return record(new LeakyRelu(slope), Kernels.unary(op, slope, x), x);
    }

    @Override
    public String name() {
        return slope == 0f ? "Relu" : "LeakyRelu";
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // the slope mask is piecewise constant in x: its own derivative is 0, so this is exact to any order
        return new Tensor[] {g.mul(Kernels.unary(UnaryOp.STEP, slope, input(0)))};
    }
}
