package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/** Tensors joined along one axis; all other sizes must agree. */
public final class Concat extends Function {
    private final int axis;

    private Concat(int axis) {
        this.axis = axis;
    }

    public static Tensor apply(int axis, Tensor... xs) {
        if (xs.length == 0) {
            throw new IllegalArgumentException("concat: no tensors");
        }
        int[] first = xs[0].shape();
        int a = Shape.axis("concat", axis, first);
        int total = 0;
        for (Tensor x : xs) {
            int[] s = x.shape();
            Kernels.sameBackend("concat", xs[0], x);
            boolean ok = s.length == first.length;
            for (int i = 0; ok && i < s.length; i++) {
                ok = i == a || s[i] == first[i];
            }
            if (!ok) {
                throw new IllegalArgumentException("concat: shapes " + Shape.str(first) + " and " + Shape.str(s)
                        + " differ outside axis " + a);
            }
            total += s[a];
        }
        int outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= first[i];
        }
        long inner = Shape.numel(first) / outer / first[a];
        int[] out = first.clone();
        out[a] = total;
        Tensor y = Tensor.empty(xs[0].backend(), out);
        long offset = 0;
        for (Tensor x : xs) {
            long block = x.size(a) * inner;
            for (int o = 0; o < outer; o++) {
                x.backend().copy(x.buffer(), o * block, y.buffer(), o * total * inner + offset, block);
            }
            offset += block;
        }
        return record(new Concat(a), y, xs.clone());   // the caller may reuse its array
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor[] ins = inputs();
        Tensor[] out = new Tensor[ins.length];
        int start = 0;
        for (int i = 0; i < ins.length; i++) {
            int len = ins[i].size(axis);
            out[i] = ins[i].requiresGrad() ? Narrow.apply(g, axis, start, len) : null;
            start += len;
        }
        return out;
    }
}
