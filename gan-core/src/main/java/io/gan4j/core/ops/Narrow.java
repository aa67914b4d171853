package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/** Entries {@code [start, start + length)} of one axis (a copy). */
public final class Narrow extends Function {
    private final int axis;
    private final int start;

    private Narrow(int axis, int start) {
        this.axis = axis;
        this.start = start;
    }

    public static Tensor apply(Tensor x, int axis, int start, int length) {
        int[] shape = x.shape();
        int a = Shape.axis("narrow", axis, shape);
        if (start < 0 || length < 1 || start + length > shape[a]) {
            throw new IllegalArgumentException("narrow: [" + start + ", " + (start + length) + ") outside axis " + a
                    + " of shape " + Shape.str(shape));
        }
        int outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= shape[i];
        }
        long inner = Shape.numel(shape) / outer / shape[a];
        int[] out = shape.clone();
        out[a] = length;
        Tensor y = Tensor.empty(x.backend(), out);
        for (int o = 0; o < outer; o++) {
            x.backend().copy(x.buffer(), (o * (long) shape[a] + start) * inner, y.buffer(), o * length * inner,
                    length * inner);
        }
        return record(new Narrow(a, start), y, x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.pad(g, axis, start, input(0).size(axis) - start - g.size(axis))};
    }
}
