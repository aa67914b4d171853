package io.gan4j.core.loss;

import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;

import java.util.Arrays;
import java.util.function.Function;

/**
 * WGAN-GP's gradient penalty (Gulrajani et al. 2017, algorithm 1):
 * {@code lambda * mean_i (||grad_x D(x_hat_i)|| - 1)^2} at {@code x_hat_i = eps_i x_i + (1 - eps_i) x~_i}.
 *
 * <p>Two details that well-known implementations got wrong, each pinned by a test: {@code eps_i} is one
 * number per sample, drawn from U[0, 1] (shape [N, 1, 1, ...], broadcast over the sample), and the norm is
 * taken over the whole flattened sample, not per channel or per row.
 */
public final class GradientPenalty {
    /** The paper's lambda. */
    public static final float DEFAULT_LAMBDA = 10f;

    // Keeps sqrt differentiable where a gradient is exactly zero (d sqrt(0) would be infinite).
    private static final float NORM_EPS = 1e-12f;

    private final float lambda;
    private final Generator generator;

    /** With lambda = 10, drawing the interpolation weights from {@code generator}. */
    public GradientPenalty(Generator generator) {
        this(DEFAULT_LAMBDA, generator);
    }

    public GradientPenalty(float lambda, Generator generator) {
        if (!(lambda >= 0) || Float.isInfinite(lambda)) {
            throw new IllegalArgumentException("gradient penalty: lambda must be finite and >= 0, got " + lambda);
        }
        this.lambda = lambda;
        this.generator = generator;
    }

    public float lambda() {
        return lambda;
    }

    /**
     * The penalty for a critic on a real and a fake batch of equal shape [N, ...]. Neither batch receives
     * a gradient (the fakes are detached here); the critic's parameters do, through the input gradient.
     */
    public Tensor penalty(Function<Tensor, Tensor> critic, Tensor real, Tensor fake) {
        Penalties.checkSameShape("gradient penalty", real, fake);
        return penalty(critic, real, fake, sampleWeights(real));
    }

    /** The penalty with given interpolation weights {@code eps} of shape [N, 1, 1, ...] (for tests). */
    @SuppressWarnings("try")   // the resource is the scope itself
    public Tensor penalty(Function<Tensor, Tensor> critic, Tensor real, Tensor fake, Tensor eps) {
        // the penalty is itself a gradient: it needs the tape even if the caller turned recording off
        try (GradMode on = GradMode.enable()) {
            Tensor xHat = interpolate(real, fake, eps);
            Tensor g = Penalties.inputGradient("gradient penalty", critic, xHat);
            Tensor norm = Penalties.squaredNormPerSample(g).add(NORM_EPS).sqrt();
            return norm.sub(1f).square().mean().mul(lambda);
        }
    }

    /** One weight per sample from U[0, 1), shaped [N, 1, 1, ...] to broadcast over each sample. */
    public Tensor sampleWeights(Tensor real) {
        Penalties.checkBatch("gradient penalty", real);
        int[] shape = new int[real.dim()];
        Arrays.fill(shape, 1);
        shape[0] = real.size(0);
        return Tensor.rand(real.backend(), generator, 0f, 1f, shape);
    }

    /** {@code eps * real + (1 - eps) * fake} as a new leaf that requires a gradient. */
    @SuppressWarnings("try")   // the resource is the scope itself
    public static Tensor interpolate(Tensor real, Tensor fake, Tensor eps) {
        Penalties.checkSameShape("gradient penalty", real, fake);
        if (eps.dim() != real.dim() || eps.size(0) != real.size(0) || eps.numel() != real.size(0)) {
            throw new IllegalArgumentException("gradient penalty: interpolation weights of shape "
                    + Arrays.toString(eps.shape()) + " for a batch of shape " + Arrays.toString(real.shape())
                    + " (expected one weight per sample, shape [N, 1, ...])");
        }
        try (GradMode off = GradMode.disable()) {
            Tensor r = real.detach();
            Tensor f = fake.detach();
            // fake + eps * (real - fake): one fewer op than eps * real + (1 - eps) * fake, same value
            return f.add(r.sub(f).mul(eps)).requiresGrad(true);
        }
    }
}
