package io.gan4j.core.train;

import io.gan4j.core.tensor.Tensor;

/** One mini-batch of real samples, with their class labels ({@code [N]}, as floats) or null. */
public record Batch(Tensor samples, Tensor labels) {
}
