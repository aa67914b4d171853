package io.gan4j.core.ops;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.ReduceOp;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

import java.util.Arrays;

/**
 * Backend kernels applied to whole tensors, allocating the result; no autograd. Ops call these in their
 * forward passes; backward passes use the differentiable {@link Ops} instead.
 */
public final class Kernels {
    private Kernels() {
    }

    static void sameBackend(String op, Tensor a, Tensor b) {
        if (a.backend() != b.backend()) {
            throw new IllegalArgumentException(op + ": tensors on different backends (" + a.backend().name()
                    + " and " + b.backend().name() + ")");
        }
    }

    public static Tensor unary(UnaryOp op, float alpha, Tensor x) {
        Tensor y = Tensor.empty(x.backend(), x.shape());
        x.backend().unary(op, alpha, x.buffer(), y.buffer());
        return y;
    }

    public static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        sameBackend(name, a, b);
        int[] out = Shape.broadcast(name, a.shape(), b.shape());
        Tensor y = Tensor.empty(a.backend(), out);
        a.backend().binary(op, a.buffer(), Shape.broadcastStrides(a.shape(), out),
                b.buffer(), Shape.broadcastStrides(b.shape(), out), y.buffer(), out);
        return y;
    }

    /** {@code x} materialised at a broadcast shape. */
    public static Tensor expand(Tensor x, int[] shape) {
        int[] out = Shape.broadcast("expand", x.shape(), shape);
        if (!Arrays.equals(out, shape)) {
            throw new IllegalArgumentException("expand: cannot expand " + Shape.str(x.shape()) + " to " + Shape.str(shape));
        }
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, shape);
        Tensor zero = Tensor.zeros(be, 1);
        be.binary(BinaryOp.ADD, x.buffer(), Shape.broadcastStrides(x.shape(), shape),
                zero.buffer(), new long[shape.length], y.buffer(), shape);
        zero.close();
        return y;
    }

    public static Tensor permute(Tensor x, int[] perm) {
        int[] shape = x.shape();
        if (perm.length != shape.length) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " for a tensor of shape "
                    + Shape.str(shape));
        }
        boolean[] seen = new boolean[perm.length];
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            int p = Shape.axis("permute", perm[i], shape);
            if (seen[p]) {
                throw new IllegalArgumentException("permute: axis " + p + " repeated in " + Arrays.toString(perm)
                        + " for a tensor of shape " + Shape.str(shape));
            }
            seen[p] = true;
            perm[i] = p;
            out[i] = shape[p];
        }
        Tensor y = Tensor.empty(x.backend(), out);
        x.backend().permute(x.buffer(), shape, perm, y.buffer());
        return y;
    }

    /** Reduces the given axes, keeping them as size 1. */
    public static Tensor reduceKeepDims(ReduceOp op, Tensor x, int[] axes) {
        int[] shape = x.shape();
        boolean[] reduce = new boolean[shape.length];
        for (int a : axes) {
            reduce[Shape.axis(op.name().toLowerCase(), a, x.shape())] = true;
        }
        Tensor cur = x;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (!reduce[d] || shape[d] == 1) {
                continue;
            }
            int outer = 1;
            for (int i = 0; i < d; i++) {
                outer *= shape[i];
            }
            int inner = 1;
            for (int i = d + 1; i < shape.length; i++) {
                inner *= shape[i];
            }
            int length = shape[d];
            shape[d] = 1;
            Tensor next = Tensor.empty(x.backend(), shape);
            x.backend().reduce(op, cur.buffer(), outer, length, inner, next.buffer());
            if (cur != x) {
                cur.close();
            }
            cur = next;
        }
        return cur == x ? copy(x) : cur;
    }

    /** Sums a broadcast result back to {@code shape} (the reverse of broadcasting). */
    public static Tensor sumTo(Tensor x, int[] shape) {
        int[] xs = x.shape();
        int lead = xs.length - shape.length;
        if (lead < 0) {
            throw new IllegalArgumentException("sum_to: cannot reduce " + Shape.str(xs) + " to " + Shape.str(shape));
        }
        int[] axes = new int[xs.length];
        int n = 0;
        for (int i = 0; i < xs.length; i++) {
            if (i < lead) {
                axes[n++] = i;
            } else if (shape[i - lead] == 1 && xs[i] != 1) {
                axes[n++] = i;
            } else if (shape[i - lead] != xs[i]) {
                throw new IllegalArgumentException("sum_to: cannot reduce " + Shape.str(xs) + " to " + Shape.str(shape));
            }
        }
        Tensor r = reduceKeepDims(ReduceOp.SUM, x, Arrays.copyOf(axes, n));
        return r.viewAs(shape);
    }

    public static Tensor copy(Tensor x) {
        Tensor y = Tensor.empty(x.backend(), x.shape());
        x.backend().copy(x.buffer(), 0, y.buffer(), 0, x.numel());
        return y;
    }

    /** Broadcasting shape check with the op named in the message. */
    static void requireRank(String op, Tensor t, int rank, String what) {
        if (t.dim() != rank) {
            throw new IllegalArgumentException(op + ": expected " + what + " of rank " + rank + ", got shape "
                    + Shape.str(t.shape()));
        }
    }
}
