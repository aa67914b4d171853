package io.gan4j.core.loss;

import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.ops.Kernels;
import io.gan4j.core.ops.LogSoftmax;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * Softmax cross-entropy for classifiers, as PyTorch's {@code F.cross_entropy(logits, labels)} with
 * {@code reduction='mean'}: {@code -mean_n log softmax(logits_n)[label_n]}. Computed through
 * {@link LogSoftmax} on the logits (never {@code log} of softmax probabilities, which rounds to
 * {@code log 0} for a confidently wrong prediction).
 */
public final class CrossEntropy {
    private CrossEntropy() {
    }

    /**
     * @param logits {@code [N, K]} unnormalised class scores
     * @param labels {@code [N]} class indices stored as floats (what {@code LabeledImages.labels} returns),
     *               each an integer in {@code [0, K)}
     */
    public static Tensor loss(Tensor logits, Tensor labels) {
        int[] s = logits.shape();
        if (s.length != 2 || s[0] < 1 || s[1] < 1) {
            throw new IllegalArgumentException("crossEntropy: expected logits of shape [N, K], got " + Shape.str(s));
        }
        if (labels.dim() != 1 || labels.size(0) != s[0]) {
            throw new IllegalArgumentException("crossEntropy: expected labels of shape [" + s[0]
                    + "] (one class index per row of logits " + Shape.str(s) + "), got " + Shape.str(labels.shape()));
        }
        checkClassIndices(labels.toArray(), s[1]);
        // one-hot rows from labels [N, 1] == classes [1, K]: a constant, so no gradient flows to the labels
        Tensor classes = Tensor.arange(logits.backend(), 0f, s[1], 1f).viewAs(new int[] {1, s[1]});
        Tensor oneHot = Kernels.binary("crossEntropy", BinaryOp.EQ, labels.detach().viewAs(new int[] {s[0], 1}), classes);
        return LogSoftmax.apply(logits, 1).mul(oneHot).sum().mul(-1f / s[0]);
    }

    // A label outside [0, K) would match no class and silently contribute a loss of 0.
    private static void checkClassIndices(float[] labels, int classes) {
        for (int i = 0; i < labels.length; i++) {
            float l = labels[i];
            if (!(l >= 0 && l < classes && l == Math.rint(l))) {
                throw new IllegalArgumentException("crossEntropy: label " + i + " is " + l
                        + " (expected a class index 0.." + (classes - 1) + ")");
            }
        }
    }
}
