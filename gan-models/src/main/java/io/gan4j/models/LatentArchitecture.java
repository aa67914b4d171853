package io.gan4j.models;

/**
 * An architecture whose generator maps a noise vector {@code [N, latentDim]} (plus, for a conditional one,
 * class labels) to a sample: what {@link io.gan4j.core.train.GanTrainer} trains. SRGAN, whose generator maps
 * low-resolution images, is not one.
 */
public interface LatentArchitecture extends GanArchitecture {

    /** Size of the noise vector z. */
    int latentDim();
}
