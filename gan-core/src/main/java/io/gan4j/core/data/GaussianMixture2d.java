package io.gan4j.core.data;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;

/**
 * The 2-D Gaussian mixtures of the mode-collapse literature: the ring of 8 (Metz et al. 2017, Unrolled
 * GAN; radius 2, sigma 0.02) and the 5x5 grid of 25 (PacGAN / VEEGAN; spacing 2, sigma 0.05). Each
 * sample picks a mode uniformly and adds isotropic Gaussian noise.
 */
public final class GaussianMixture2d {
    private final String name;
    private final float[][] centres;
    private final float sigma;

    public GaussianMixture2d(String name, float[][] centres, float sigma) {
        if (centres.length == 0 || !(sigma > 0)) {
            throw new IllegalArgumentException("mixture '" + name + "': needs at least one centre and sigma > 0");
        }
        this.name = name;
        this.centres = centres.clone();
        this.sigma = sigma;
    }

    /**
     * {@code modes} centres evenly on a circle: angle {@code 2 pi k / modes}, k = 0..modes-1. (Not
     * linspace(0, 2 pi, modes), which repeats the first angle as the last and leaves modes - 1 distinct.)
     */
    public static GaussianMixture2d ring(int modes, float radius, float sigma) {
        float[][] c = new float[modes][];
        for (int k = 0; k < modes; k++) {
            double angle = 2 * Math.PI * k / modes;
            c[k] = new float[] {(float) (radius * Math.cos(angle)), (float) (radius * Math.sin(angle))};
        }
        return new GaussianMixture2d("ring" + modes, c, sigma);
    }

    /** The canonical ring of 8: radius 2, sigma 0.02. */
    public static GaussianMixture2d ring8() {
        return ring(8, 2f, 0.02f);
    }

    /** A {@code side x side} grid centred on the origin with the given spacing. */
    public static GaussianMixture2d grid(int side, float spacing, float sigma) {
        float[][] c = new float[side * side][];
        float origin = -(side - 1) * spacing / 2;
        for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
                c[i * side + j] = new float[] {origin + i * spacing, origin + j * spacing};
            }
        }
        return new GaussianMixture2d("grid" + side * side, c, sigma);
    }

    /** The canonical grid of 25: centres {-4, -2, 0, 2, 4}^2, sigma 0.05. */
    public static GaussianMixture2d grid25() {
        return grid(5, 2f, 0.05f);
    }

    public String name() {
        return name;
    }

    public float sigma() {
        return sigma;
    }

    public float[][] centres() {
        float[][] c = new float[centres.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = centres[i].clone();
        }
        return c;
    }

    public int modes() {
        return centres.length;
    }

    /** {@code n} samples as an {@code [n, 2]} tensor, drawn from {@code gen}. */
    public Tensor sample(Backend backend, Generator gen, int n) {
        float[] pick;
        float[] noise;
        try (Tensor u = Tensor.rand(backend, gen, 0f, 1f, n); Tensor z = Tensor.randn(backend, gen, 0f, sigma, n, 2)) {
            pick = u.toArray();
            noise = z.toArray();
        }
        float[] xy = new float[2 * n];
        for (int i = 0; i < n; i++) {
            float[] c = centres[Math.min(centres.length - 1, (int) (pick[i] * centres.length))];
            xy[2 * i] = c[0] + noise[2 * i];
            xy[2 * i + 1] = c[1] + noise[2 * i + 1];
        }
        return Tensor.of(backend, xy, n, 2);
    }
}
