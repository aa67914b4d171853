package io.gan4j.core.nn;

import io.gan4j.core.tensor.Tensor;

/**
 * {@code 1 / (1 + exp(-x))}. Discriminators should output logits and use a BCE-with-logits loss instead of
 * ending in this layer (saturation, log(0)).
 */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }
}
