package io.gan4j.core.nn;

import io.gan4j.core.tensor.Tensor;

/**
 * A layer built around one {@code weight} parameter that can also run with a weight computed elsewhere:
 * this is how a reparametrisation such as {@link SpectralNorm} feeds it the normalised weight while the
 * layer keeps its own bias and settings.
 */
public interface WeightedLayer {

    /** The forward pass with {@code weight} (same shape as the layer's own) in place of the layer's. */
    Tensor forwardWithWeight(Tensor x, Tensor weight);

    /**
     * The axis of the weight that indexes output features: 0 for {@code [out, in, ...]} layouts, 1 for
     * the transposed convolution's {@code [in, out, kh, kw]} (spectral norm reshapes around it).
     */
    default int weightOutputAxis() {
        return 0;
    }
}
