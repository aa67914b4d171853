package io.gan4j.core.nn;

import io.gan4j.core.tensor.Tensor;

/** {@code tanh(x)}: the generator's last activation, mapping to images in [-1, 1]. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
