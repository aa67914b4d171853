package io.gan4j.core.train;

import io.gan4j.core.tensor.Tensor;

/** A generator or discriminator that takes class labels ({@code [N]}, as floats) beside its input. */
public interface Conditional {
    Tensor forward(Tensor x, Tensor labels);
}
