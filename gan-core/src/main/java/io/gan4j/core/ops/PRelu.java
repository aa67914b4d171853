package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/** {@code x > 0 ? x : a * x} with a learned slope per channel (axis 1) or one shared slope. */
public final class PRelu extends Function {
    private Tensor positive;   // 1 where x > 0, else 0

    public static Tensor apply(Tensor x, Tensor a) {
        int channels = x.dim() >= 2 ? x.size(1) : 1;
        if (a.numel() != 1 && a.numel() != channels) {
            throw new IllegalArgumentException("prelu: slopes " + Shape.str(a.shape()) + " for input "
                    + Shape.str(x.shape()) + " (expected 1 or " + channels + " slopes)");
        }
        PRelu fn = new PRelu();
        Tensor slope = broadcastable(a, x);
        fn.positive = Kernels.unary(UnaryOp.STEP, 0f, x);
        // factor = positive + (1 - positive) * a
        Tensor factor = Kernels.binary("prelu", BinaryOp.ADD, fn.positive,
                Kernels.binary("prelu", BinaryOp.MUL, oneMinus(fn.positive), slope));
        Tensor y = Kernels.binary("prelu", BinaryOp.MUL, x, factor);
        return record(fn, y, x, a);
    }

    private static Tensor oneMinus(Tensor mask) {
        Tensor neg = Kernels.unary(UnaryOp.MUL_SCALAR, -1f, mask);
        mask.backend().unary(UnaryOp.ADD_SCALAR, 1f, neg.buffer(), neg.buffer());
        return neg;
    }

    /** The slopes shaped {@code [C, 1, ..., 1]} so that they broadcast over {@code [N, C, ...]}. */
    private static Tensor broadcastable(Tensor a, Tensor x) {
        if (a.numel() == 1 || x.dim() < 2) {
            return a.viewAs(new int[] {1});
        }
        int[] s = new int[x.dim() - 1];
        java.util.Arrays.fill(s, 1);
        s[0] = (int) a.numel();
        return a.viewAs(s);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor x = input(0);
        Tensor a = input(1);
        Tensor negative = oneMinus(positive);
        Tensor gx = null;
        Tensor ga = null;
        if (needsGrad(0)) {
            // dy/dx = positive + negative * a, differentiable in a
            Tensor slope = Ops.reshape(a, broadcastable(a, x).shape());
            gx = g.mul(slope.mul(negative).add(positive));
        }
        if (needsGrad(1)) {
            // dy/da = negative * x, differentiable in x
            Tensor gaFull = g.mul(x).mul(negative);
            ga = Ops.sumTo(gaFull, broadcastable(a, x).shape()).reshape(a.shape());
        }
        return new Tensor[] {gx, ga};
    }
}
