package io.gan4j.core.loss;

import io.gan4j.core.autograd.Autograd;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

import java.util.Arrays;
import java.util.function.Function;

/** What the gradient penalties share: the critic's input gradient, per sample. */
final class Penalties {
    private Penalties() {
    }

    /**
     * {@code d sum(critic(x)) / dx} for a leaf {@code x}, built with createGraph so that the penalty on it
     * can be differentiated again with respect to the critic's parameters. Summing the outputs is exact
     * per sample because sample i's output depends only on sample i (true of every critic without batch
     * statistics; batch norm in the critic breaks this, which is why WGAN-GP critics do not use it).
     */
    static Tensor inputGradient(String what, Function<Tensor, Tensor> critic, Tensor x) {
        Tensor out = critic.apply(x);
        if (!out.requiresGrad()) {
            throw new IllegalStateException(what + ": the critic's output does not depend on its input "
                    + "(or was computed with gradient recording off)");
        }
        return Autograd.grad(new Tensor[] {out.sum()}, new Tensor[] {x}, null, true)[0];
    }

    /** Squared L2 norm of each sample, over the whole flattened sample: shape [N]. */
    static Tensor squaredNormPerSample(Tensor g) {
        return g.reshape(g.size(0), -1).square().sum(1);
    }

    static void checkBatch(String what, Tensor x) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException(what + ": expected a batch [N, ...] of rank >= 2, got shape "
                    + Shape.str(x.shape()));
        }
    }

    static void checkSameShape(String what, Tensor real, Tensor fake) {
        checkBatch(what, real);
        if (!Arrays.equals(real.shape(), fake.shape())) {
            throw new IllegalArgumentException(what + ": real batch " + Shape.str(real.shape())
                    + " and fake batch " + Shape.str(fake.shape()) + " differ (expected equal shapes)");
        }
    }
}
