package io.gan4j.core.loss;

import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.tensor.Tensor;

import java.util.function.Function;

/**
 * The R1 regulariser (Mescheder et al. 2018): {@code gamma / 2 * mean_i ||grad_x D(x_i)||^2} on real
 * samples, the squared norm taken over the whole flattened sample (as StyleGAN2 does).
 */
public final class R1Penalty {
    private final float gamma;

    public R1Penalty(float gamma) {
        if (!(gamma >= 0) || Float.isInfinite(gamma)) {
            throw new IllegalArgumentException("R1 penalty: gamma must be finite and >= 0, got " + gamma);
        }
        this.gamma = gamma;
    }

    public float gamma() {
        return gamma;
    }

    /** The penalty on a real batch [N, ...]; the batch itself receives no gradient. */
    @SuppressWarnings("try")   // the resource is the scope itself
    public Tensor penalty(Function<Tensor, Tensor> critic, Tensor real) {
        Penalties.checkBatch("R1 penalty", real);
        try (GradMode on = GradMode.enable()) {
            Tensor x = real.detach().requiresGrad(true);
            Tensor g = Penalties.inputGradient("R1 penalty", critic, x);
            return Penalties.squaredNormPerSample(g).mean().mul(gamma / 2f);
        }
    }
}
