package io.gan4j.models;

/** How a conditional discriminator sees the class label. */
public enum DiscriminatorConditioning {
    /**
     * Mirza & Osindero (2014): the label, embedded as one extra image-sized channel, is concatenated to the
     * input.
     */
    CONCAT,
    /**
     * Miyato & Koyama (2018): the output is {@code psi(phi(x)) + <embed(y), phi(x)>}, the inner product of
     * the label's embedding with D's features (the projection discriminator).
     */
    PROJECTION
}
