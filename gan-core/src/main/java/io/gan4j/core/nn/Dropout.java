package io.gan4j.core.nn;

import io.gan4j.core.ops.Ops;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;

/**
 * Inverted dropout (PyTorch's nn.Dropout): in training each element is zeroed with probability {@code p} and
 * the rest scaled by {@code 1 / (1 - p)}, with masks drawn from {@code gen}; in evaluation it is the identity.
 */
public final class Dropout extends Module {
    private final float p;
    private final Generator gen;

    public Dropout(float p, Generator gen) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.gen = gen;
    }

    @Override
    public Tensor forward(Tensor x) {
        return isTraining() ? Ops.dropout(x, p, gen) : x;
    }

    @Override
    protected String extraRepr() {
        return "p=" + pyFloat(p);
    }
}
