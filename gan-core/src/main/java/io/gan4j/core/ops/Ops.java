package io.gan4j.core.ops;

import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

import java.util.Arrays;

/** The differentiable operations, in one place; each is one op class with its forward and backward. */
public final class Ops {
    private Ops() {
    }

    // ---------------------------------------------------------------- elementwise

    public static Tensor add(Tensor a, Tensor b) { return Add.apply(a, b); }
    public static Tensor sub(Tensor a, Tensor b) { return Sub.apply(a, b); }
    public static Tensor mul(Tensor a, Tensor b) { return Mul.apply(a, b); }
    public static Tensor div(Tensor a, Tensor b) { return Div.apply(a, b); }
    public static Tensor addScalar(Tensor x, float c) { return AddScalar.apply(x, c); }
    public static Tensor mulScalar(Tensor x, float c) { return MulScalar.apply(x, c); }
    public static Tensor pow(Tensor x, float p) { return Pow.apply(x, p); }
    public static Tensor square(Tensor x) { return Square.apply(x); }
    public static Tensor sqrt(Tensor x) { return Sqrt.apply(x); }
    public static Tensor exp(Tensor x) { return Exp.apply(x); }
    public static Tensor log(Tensor x) { return Log.apply(x); }
    public static Tensor abs(Tensor x) { return Abs.apply(x); }
    public static Tensor tanh(Tensor x) { return Tanh.apply(x); }
    public static Tensor sigmoid(Tensor x) { return Sigmoid.apply(x); }
    public static Tensor softplus(Tensor x) { return Softplus.apply(x); }
    public static Tensor relu(Tensor x) { return LeakyRelu.apply(x, 0f); }
    public static Tensor leakyRelu(Tensor x, float slope) { return LeakyRelu.apply(x, slope); }
    public static Tensor prelu(Tensor x, Tensor slopes) { return PRelu.apply(x, slopes); }

    // ---------------------------------------------------------------- shapes

    public static Tensor reshape(Tensor x, int... shape) {
        return Reshape.apply(x, shape);
    }

    public static Tensor slice(Tensor x, int from, int to) {
        return Slice.apply(x, from, to);
    }

    public static Tensor narrow(Tensor x, int axis, int start, int length) {
        return Narrow.apply(x, axis, start, length);
    }

    /** Zeros added before and after along one axis. */
    public static Tensor pad(Tensor x, int axis, int before, int after) {
        if (before < 0 || after < 0) {
            // negative amounts would otherwise be skipped silently, returning an unpadded tensor
            throw new IllegalArgumentException("pad: negative amounts " + before + " and " + after + " on axis " + axis
                    + " of shape " + Shape.str(x.shape()));
        }
        if (before == 0 && after == 0) {
            return x;
        }
        int a = Shape.axis("pad", axis, x.shape());
        Tensor[] parts = new Tensor[(before > 0 ? 1 : 0) + 1 + (after > 0 ? 1 : 0)];
        int i = 0;
        if (before > 0) {
            int[] s = x.shape();
            s[a] = before;
            parts[i++] = Tensor.zeros(x.backend(), s);
        }
        parts[i++] = x;
        if (after > 0) {
            int[] s = x.shape();
            s[a] = after;
            parts[i] = Tensor.zeros(x.backend(), s);
        }
        return Concat.apply(a, parts);
    }

    public static Tensor concat(int axis, Tensor... xs) {
        return Concat.apply(axis, xs);
    }

    /** Tensors of equal shape joined along a new axis. */
    public static Tensor stack(int axis, Tensor... xs) {
        if (xs.length == 0) {
            throw new IllegalArgumentException("stack: no tensors");
        }
        int[] s = xs[0].shape();
        int a = axis < 0 ? axis + s.length + 1 : axis;
        if (a < 0 || a > s.length) {
            throw new IllegalArgumentException("stack: axis " + axis + " out of range for tensors of shape "
                    + Shape.str(s) + " (new axis between -" + (s.length + 1) + " and " + s.length + ")");
        }
        Tensor[] parts = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            if (!Arrays.equals(xs[i].shape(), s)) {
                throw new IllegalArgumentException("stack: shapes " + Shape.str(s) + " and "
                        + Shape.str(xs[i].shape()) + " differ");
            }
            int[] u = new int[s.length + 1];
            for (int d = 0, j = 0; d < u.length; d++) {
                u[d] = d == a ? 1 : s[j++];
            }
            parts[i] = reshape(xs[i], u);
        }
        return Concat.apply(a, parts);
    }

    public static Tensor permute(Tensor x, int... perm) {
        return Permute.apply(x, perm);
    }

    public static Tensor transpose(Tensor x, int a, int b) {
        int[] perm = new int[x.dim()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        int pa = Shape.axis("transpose", a, x.shape());
        int pb = Shape.axis("transpose", b, x.shape());
        perm[pa] = pb;
        perm[pb] = pa;
        return Permute.apply(x, perm);
    }

    public static Tensor expand(Tensor x, int... shape) {
        return Arrays.equals(x.shape(), shape) ? x : Expand.apply(x, shape);
    }

    /** Sums a broadcast gradient back to {@code shape}; the identity when the shapes agree. */
    public static Tensor sumTo(Tensor x, int[] shape) {
        return Arrays.equals(x.shape(), shape) ? x : SumTo.apply(x, shape);
    }

    // ---------------------------------------------------------------- reductions

    public static Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        int[] kept = keptShape("sum", x.shape(), axes);
        Tensor s = SumTo.apply(x, kept);
        return keepDims ? s : reshape(s, droppedShape(x.shape(), axes));
    }

    public static Tensor sumAll(Tensor x) {
        return reshape(SumTo.apply(x, ones(x.dim())));
    }

    public static Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        int[] kept = keptShape("mean", x.shape(), axes);
        long count = x.numel() / Shape.numel(kept);
        return sum(x, axes, keepDims).mul(1f / count);
    }

    public static Tensor meanAll(Tensor x) {
        return sumAll(x).mul(1f / x.numel());
    }

    public static Tensor max(Tensor x, int[] axes, boolean keepDims) {
        int[] kept = keptShape("max", x.shape(), axes);
        Tensor m = Max.apply(x, axes);
        return keepDims ? m : reshape(m, droppedShape(x.shape(), axes));
    }

    /** The largest element, as a 0-d tensor. */
    public static Tensor maxAll(Tensor x) {
        int[] axes = new int[x.dim()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        return reshape(Max.apply(x, axes));
    }

    private static int[] ones(int n) {
        int[] s = new int[n];
        Arrays.fill(s, 1);
        return s;
    }

    private static int[] keptShape(String op, int[] shape, int[] axes) {
        int[] kept = shape.clone();
        for (int a : axes) {
            kept[Shape.axis(op, a, shape)] = 1;
        }
        return kept;
    }

    /** The shape without the reduced axes ({@code []} for a full reduction). */
    private static int[] droppedShape(int[] shape, int[] axes) {
        boolean[] drop = new boolean[shape.length];
        for (int a : axes) {
            drop[Shape.axis("reduce", a, shape)] = true;
        }
        int n = 0;
        int[] out = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            if (!drop[i]) {
                out[n++] = shape[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    // ---------------------------------------------------------------- linear algebra and layers

    /** {@code op(a) op(b)}; rank 2 or batched rank 3. */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        return MatMul.apply(a, b, transA, transB);
    }

    /** {@code x W^T + b} with PyTorch's weight layout {@code [out, in]}; b may be null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (x.dim() != 2 || weight.dim() != 2 || x.size(1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: input " + Shape.str(x.shape()) + " and weight "
                    + Shape.str(weight.shape()) + " do not match (expected [N, in] and [out, in])");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("linear: bias " + Shape.str(bias.shape()) + " for weight "
                    + Shape.str(weight.shape()) + " and input " + Shape.str(x.shape()) + " (expected [out])");
        }
        Tensor y = MatMul.apply(x, weight, false, true);
        return bias == null ? y : y.add(bias);
    }

    public static Tensor conv2d(Tensor x, Tensor w, int stride, int padding) {
        return Convolution.apply(x, w, stride, padding);
    }

    public static Tensor convTranspose2d(Tensor x, Tensor w, int stride, int padding, int outputPadding) {
        return TransposedConvolution.apply(x, w, stride, padding, outputPadding);
    }

    /** Adds a per-channel bias {@code [C]} to {@code [N, C, ...]}. */
    public static Tensor addChannelBias(Tensor x, Tensor bias) {
        // checked here: the broadcasting add would name "add" and the reshaped [C, 1, 1], not what the caller passed
        if (x.dim() < 2 || bias.dim() != 1 || bias.size(0) != x.size(1)) {
            throw new IllegalArgumentException("channel bias: bias " + Shape.str(bias.shape()) + " for input "
                    + Shape.str(x.shape()) + " (expected [N, C, ...] and [C])");
        }
        int[] s = new int[x.dim() - 1];
        Arrays.fill(s, 1);
        s[0] = (int) bias.numel();
        return x.add(reshape(bias, s));
    }

    public static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                   float momentum, float eps) {
        return BatchNorm.apply(x, gamma, beta, runningMean, runningVar, momentum, eps);
    }

    /** Batch norm with fixed statistics: differentiable to any order. */
    public static Tensor batchNormInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                            Tensor runningVar, float eps) {
        int[] xs = x.shape();
        if (xs.length < 2 || gamma.numel() != xs[1] || beta.numel() != xs[1] || runningMean.numel() != xs[1]
                || runningVar.numel() != xs[1]) {
            throw new IllegalArgumentException("batch_norm: input " + Shape.str(xs) + " with weight "
                    + Shape.str(gamma.shape()) + ", bias " + Shape.str(beta.shape()) + ", running mean "
                    + Shape.str(runningMean.shape()) + " and running var " + Shape.str(runningVar.shape())
                    + " (expected [N, C, ...] and [C])");
        }
        int[] s = new int[x.dim() - 1];
        Arrays.fill(s, 1);
        s[0] = (int) gamma.numel();
        Tensor invStd = Kernels.unary(io.gan4j.core.backend.UnaryOp.ADD_SCALAR, eps, runningVar);
        x.backend().unary(io.gan4j.core.backend.UnaryOp.SQRT, 0f, invStd.buffer(), invStd.buffer());
        x.backend().unary(io.gan4j.core.backend.UnaryOp.RECIPROCAL, 0f, invStd.buffer(), invStd.buffer());
        Tensor scale = reshape(gamma, s).mul(invStd.viewAs(s));
        return x.sub(runningMean.viewAs(s)).mul(scale).add(reshape(beta, s));
    }

    public static Tensor upsampleNearest(Tensor x, int factor) {
        return UpsampleNearest.apply(x, factor);
    }

    public static Tensor pixelShuffle(Tensor x, int r) {
        return PixelShuffle.apply(x, r);
    }

    public static Tensor pixelUnshuffle(Tensor x, int r) {
        return PixelShuffle.applyInverse(x, r);
    }

    /** Inverted dropout: zeroes each element with probability p and scales the rest by 1 / (1 - p). */
    public static Tensor dropout(Tensor x, float p, Generator gen) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout: probability must be in [0, 1), got " + p);
        }
        if (p == 0) {
            return x;
        }
        Tensor keep = Tensor.bernoulli(x.backend(), gen, 1 - p, x.shape());
        return x.mul(keep.mul(1f / (1 - p)));
    }
}
