package io.gan4j.core.latent;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;

/** z ~ N(0, I): the prior of the GAN papers. */
public record GaussianPrior(int dim) implements LatentPrior {

    public GaussianPrior {
        if (dim < 1) {
            throw new IllegalArgumentException("latent dimension must be >= 1, got " + dim);
        }
    }

    @Override
    public Tensor sample(Backend backend, Generator rng, int n) {
        return Tensor.randn(backend, rng, 0f, 1f, n, dim);
    }

    @Override
    public String toString() {
        return "N(0, I_" + dim + ")";
    }
}
