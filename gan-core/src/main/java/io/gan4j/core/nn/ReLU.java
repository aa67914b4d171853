package io.gan4j.core.nn;

import io.gan4j.core.tensor.Tensor;

/** {@code max(x, 0)}. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
