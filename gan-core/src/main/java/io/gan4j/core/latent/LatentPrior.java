package io.gan4j.core.latent;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;

/**
 * The distribution a generator's noise z comes from. Training, sample grids, evaluation and resumed runs must
 * draw from the same one, so a run holds one prior and passes it around; {@link #toString()} names it fully
 * (a checkpoint records it, and a resume with another prior is refused).
 */
public interface LatentPrior {
    /** The length of one latent vector. */
    int dim();

    /** {@code n} latent vectors, shape [n, dim], drawn from {@code rng} (which advances). */
    Tensor sample(Backend backend, Generator rng, int n);

    /** N(0, I) of that size, the prior of the papers. */
    static LatentPrior gaussian(int dim) {
        return new GaussianPrior(dim);
    }

    /**
     * N(0, I) when {@code components} is 0, else {@link GaussianMixturePrior} with that many components and its
     * default spread and centres.
     */
    static LatentPrior of(int dim, int components) {
        return components == 0 ? gaussian(dim) : new GaussianMixturePrior(dim, components);
    }
}
