package io.gan4j.core.nn;

import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

import java.util.Arrays;

/**
 * Layer normalisation over the last dimensions (PyTorch's nn.LayerNorm): each sample is normalised by the
 * mean and biased variance of its last {@code normalizedShape.length} axes, then scaled by {@code weight}
 * (1) and shifted by {@code bias} (0), both of {@code normalizedShape}. Built from differentiable ops, so it
 * can be differentiated to any order (critics trained with gradient penalties use it instead of batch norm).
 */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final float eps;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5f, true);
    }

    public LayerNorm(int[] normalizedShape, float eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0 || !(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm: invalid settings normalized_shape="
                    + Arrays.toString(normalizedShape) + " eps=" + eps);
        }
        this.normalizedShape = Shape.check("LayerNorm", normalizedShape);
        this.eps = eps;
        if (elementwiseAffine) {
            Init.ones(registerParameter("weight", persistentZeros(normalizedShape)));
            registerParameter("bias", persistentZeros(normalizedShape));
        }
    }

    public Tensor weight() {
        return parameterOrNull("weight");
    }

    public Tensor bias() {
        return parameterOrNull("bias");
    }

    @Override
    public Tensor forward(Tensor x) {
        int k = normalizedShape.length;
        int[] s = x.shape();
        if (s.length < k || !Arrays.equals(Arrays.copyOfRange(s, s.length - k, s.length), normalizedShape)) {
            throw new IllegalArgumentException(this + ": expected input [*, "
                    + Shape.str(normalizedShape).replaceAll("[\\[\\]]", "") + "], got " + Shape.str(s));
        }
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) {
            axes[i] = s.length - k + i;
        }
        Tensor centered = x.sub(x.mean(axes, true));
        Tensor variance = centered.square().mean(axes, true);
        Tensor y = centered.div(variance.add(eps).sqrt());
        Tensor w = weight();
        return w == null ? y : y.mul(w).add(bias());
    }

    @Override
    protected String extraRepr() {
        String shape = Arrays.toString(normalizedShape).replace('[', '(').replace(']', ')');
        if (normalizedShape.length == 1) {
            shape = "(" + normalizedShape[0] + ",)";
        }
        return shape + ", eps=" + pyFloat(eps) + ", elementwise_affine=" + (weight() != null ? "True" : "False");
    }
}
