package io.gan4j.core.loss;

import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

import java.util.Arrays;

/** Elementwise losses, averaged over every element (PyTorch's {@code reduction='mean'}). */
public final class Losses {
    private Losses() {
    }

    /**
     * Binary cross-entropy of {@code sigmoid(logits)} against {@code target}, computed from the logits as
     * {@code softplus(x) - x * t}: exact for any |x|, where {@code log(sigmoid(x))} would round to log(0)
     * and its gradient would vanish once the sigmoid saturates.
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor target) {
        sameShape("bceWithLogits", logits, target);
        return logits.softplus().sub(logits.mul(target)).mean();
    }

    /** {@link #bceWithLogits(Tensor, Tensor)} against a target that is the same for every element. */
    public static Tensor bceWithLogits(Tensor logits, float target) {
        if (!(target >= 0 && target <= 1)) {
            throw new IllegalArgumentException("bceWithLogits: target must be in [0, 1], got " + target);
        }
        Tensor sp = logits.softplus();
        return (target == 0f ? sp : sp.sub(logits.mul(target))).mean();
    }

    /** Mean squared error. */
    public static Tensor mse(Tensor input, Tensor target) {
        sameShape("mse", input, target);
        return input.sub(target).square().mean();
    }

    /** Mean squared distance to a constant. */
    public static Tensor mse(Tensor input, float target) {
        return input.sub(target).square().mean();
    }

    /** Mean absolute error. */
    public static Tensor l1(Tensor input, Tensor target) {
        sameShape("l1", input, target);
        return input.sub(target).abs().mean();
    }

    // Silent broadcasting of [N] against [N, 1] is a classic source of wrong losses: insist on equal shapes.
    private static void sameShape(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": input of shape " + Shape.str(input.shape())
                    + " and target of shape " + Shape.str(target.shape()) + " differ (expected equal shapes)");
        }
    }
}
