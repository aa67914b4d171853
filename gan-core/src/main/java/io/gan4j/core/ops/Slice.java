package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.tensor.Tensor;

/** Entries {@code [from, to)} of axis 0, as a view. */
public final class Slice extends Function {
    private final int from;
    private final int to;

    private Slice(int from, int to) {
        this.from = from;
        this.to = to;
    }

    public static Tensor apply(Tensor x, int from, int to) {
        return record(new Slice(from, to), x.sliceView(from, to), x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.pad(g, 0, from, input(0).size(0) - to)};
    }
}
