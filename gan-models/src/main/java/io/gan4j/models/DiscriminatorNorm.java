package io.gan4j.models;

/** How the hidden layers of a convolutional discriminator are normalised. */
public enum DiscriminatorNorm {
    /** Batch norm after every hidden convolution but the first (DCGAN). */
    BATCH_NORM,
    /**
     * None (the WGAN-GP critic: batch norm would make each output depend on the rest of the batch, which
     * the per-sample gradient penalty assumes it does not; Gulrajani et al. 2017, section 4).
     */
    NONE,
    /** Spectral norm on every convolution (Miyato et al. 2018), the usual partner of the hinge loss. */
    SPECTRAL_NORM
}
