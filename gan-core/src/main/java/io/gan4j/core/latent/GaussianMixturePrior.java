package io.gan4j.core.latent;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;

import java.util.Locale;

/**
 * z from an equal mixture of {@code components} Gaussians: z = c_k + spread * e, with k uniform and
 * e ~ N(0, I). The centres c_k are drawn once from N(0, (1 - spread^2) I) by a generator of their own seed,
 * so every coordinate of z still has mean 0 and variance 1, as under N(0, I).
 *
 * <p>Why: a generator is a continuous map, so from a connected prior like N(0, I) it cannot reach separate
 * modes of the data (the ten digits) without also drawing what lies between them; a share of its samples are
 * blends that no class claims (Khayatkhoei et al. 2018, "Disconnected manifold learning for generative
 * adversarial networks"; Tanielian et al. 2020, "Learning disconnected manifolds: a no GAN's land"). With a
 * disconnected prior the transitions can fall in the gaps between components, which no sample comes from.
 * The components are not tied to classes: the generator spreads them over the data as it likes.
 */
public final class GaussianMixturePrior implements LatentPrior {
    /** Standard deviation of each component, per coordinate. */
    public static final float DEFAULT_SPREAD = 0.5f;
    /** Seed of the centres' own generator: a run's seed does not move them. */
    public static final long DEFAULT_CENTRE_SEED = 4242;

    private final int dim;
    private final int components;
    private final float spread;
    private final long centreSeed;
    private final float[] centres;

    /** {@code components} components, {@link #DEFAULT_SPREAD}, centres from {@link #DEFAULT_CENTRE_SEED}. */
    public GaussianMixturePrior(int dim, int components) {
        this(dim, components, DEFAULT_SPREAD, DEFAULT_CENTRE_SEED);
    }

    public GaussianMixturePrior(int dim, int components, float spread, long centreSeed) {
        if (dim < 1 || components < 1 || !(spread > 0 && spread < 1)) {
            throw new IllegalArgumentException("Gaussian mixture prior: expected dim >= 1, components >= 1 and "
                    + "0 < spread < 1, got dim " + dim + ", components " + components + ", spread " + spread);
        }
        this.dim = dim;
        this.components = components;
        this.spread = spread;
        this.centreSeed = centreSeed;
        float scale = (float) Math.sqrt(1 - spread * spread);
        this.centres = Tensor.randn(new Generator(centreSeed), components, dim).mul(scale).toArray();
    }

    @Override
    public int dim() {
        return dim;
    }

    public int components() {
        return components;
    }

    public float spread() {
        return spread;
    }

    /** Centre {@code k}, a copy. */
    public float[] centre(int k) {
        float[] c = new float[dim];
        System.arraycopy(centres, k * dim, c, 0, dim);
        return c;
    }

    @Override
    public Tensor sample(Backend backend, Generator rng, int n) {
        float[] u = Tensor.rand(backend, rng, 0f, 1f, n).toArray();
        float[] z = Tensor.randn(backend, rng, 0f, 1f, n, dim).toArray();
        for (int i = 0; i < n; i++) {
            int k = Math.min(components - 1, (int) (u[i] * components));
            for (int j = 0; j < dim; j++) {
                z[i * dim + j] = centres[k * dim + j] + spread * z[i * dim + j];
            }
        }
        return Tensor.of(backend, z, n, dim);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "Gaussian mixture (%d components, spread %s, centre seed %d) in %d dimensions",
                components, spread, centreSeed, dim);
    }
}
