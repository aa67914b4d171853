package io.gan4j.core.nn;

import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/** {@code [N, ...] -> [N, rest]}: keeps the batch axis (PyTorch's nn.Flatten with start_dim=1). */
public final class Flatten extends Module {
    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 1) {
            throw new IllegalArgumentException("Flatten: expected input with a batch axis, got " + Shape.str(x.shape()));
        }
        return x.reshape(x.size(0), -1);
    }
}
