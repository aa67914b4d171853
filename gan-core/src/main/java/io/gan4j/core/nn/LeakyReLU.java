package io.gan4j.core.nn;

import io.gan4j.core.tensor.Tensor;

/** {@code x > 0 ? x : slope * x}; DCGAN's discriminator uses slope 0.2 (PyTorch's default is 0.01). */
public final class LeakyReLU extends Module {
    private final float negativeSlope;

    public LeakyReLU(float negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    public LeakyReLU() {
        this(0.01f);
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.leakyRelu(negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + pyFloat(negativeSlope);
    }
}
