package io.gan4j.core.loss;

import io.gan4j.core.tensor.Tensor;

/**
 * LSGAN (Mao et al. 2017, eq. 2): D minimises {@code 1/2 E[(D(x) - b)^2] + 1/2 E[(D(G(z)) - a)^2]},
 * G minimises {@code 1/2 E[(D(G(z)) - c)^2]}, on the raw (linear) outputs. Defaults a = 0, b = 1, c = 1,
 * the 0-1 coding of the paper, which matches the label convention (fake 0, real 1).
 */
public final class LeastSquaresLoss implements GanLoss {
    private final float a;
    private final float b;
    private final float c;

    public LeastSquaresLoss() {
        this(FAKE_LABEL, REAL_LABEL, REAL_LABEL);
    }

    /** Targets: {@code a} for fakes and {@code b} for reals in D's loss, {@code c} for fakes in G's loss. */
    public LeastSquaresLoss(float a, float b, float c) {
        if (!(b > a)) {
            throw new IllegalArgumentException("least-squares loss: the real target b (" + b
                    + ") must be above the fake target a (" + a + ")");
        }
        this.a = a;
        this.b = b;
        this.c = c;
    }

    @Override
    public Tensor discriminatorLoss(Tensor realLogits, Tensor fakeLogits) {
        return Losses.mse(realLogits, b).add(Losses.mse(fakeLogits, a)).mul(0.5f);
    }

    @Override
    public Tensor generatorLoss(Tensor fakeLogits) {
        return Losses.mse(fakeLogits, c).mul(0.5f);
    }

    @Override
    public String name() {
        return "least-squares";
    }

    @Override
    public String toString() {
        return name() + "(a=" + a + ", b=" + b + ", c=" + c + ")";
    }
}
