package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.ReduceOp;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * {@code log softmax(x)} along one axis: {@code x - m - ln(sum(e^(x - m)))} with {@code m} the maximum
 * along the axis, so that no exponential overflows (logits of 1000 are fine) and the largest term is
 * always {@code e^0 = 1}, so the logarithm never sees 0.
 */
public final class LogSoftmax extends Function {
    private Tensor y;
    private int axis;

    /** Log-probabilities along {@code axis} (negative counts from the end). */
    public static Tensor apply(Tensor x, int axis) {
        int a = Shape.axis("logSoftmax", axis, x.dim());
        int[] axes = {a};
        Tensor max = Kernels.reduceKeepDims(ReduceOp.MAX, x, axes);
        Tensor shifted = Kernels.binary("logSoftmax", BinaryOp.SUB, x, max);
        Tensor exp = Kernels.unary(UnaryOp.EXP, 0f, shifted);
        Tensor logSum = Kernels.reduceKeepDims(ReduceOp.SUM, exp, axes);
        x.backend().unary(UnaryOp.LOG, 0f, logSum.buffer(), logSum.buffer());
        LogSoftmax fn = new LogSoftmax();
        fn.axis = a;
        fn.y = Kernels.binary("logSoftmax", BinaryOp.SUB, shifted, logSum);
        max.close();
        shifted.close();
        exp.close();
        logSum.close();
        return record(fn, fn.y, x);
    }

    /** Probabilities along {@code axis}: {@code exp(logSoftmax(x))}, equally stable. */
    public static Tensor softmax(Tensor x, int axis) {
        return apply(x, axis).exp();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // d/dx_i = g_i - softmax_i * sum_j g_j. The softmax is taken as exp of this op's own output, which
        // is recorded in the graph, so the gradient is itself differentiable (second order for free).
        Tensor softmax = y.exp();
        Tensor total = g.sum(new int[] {axis}, true);
        return new Tensor[] {g.sub(softmax.mul(total))};
    }
}
