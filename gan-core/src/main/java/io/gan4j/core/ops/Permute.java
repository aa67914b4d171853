package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.tensor.Tensor;

/** Axes reordered: axis {@code i} of the result is axis {@code perm[i]} of the input (a copy). */
public final class Permute extends Function {
    private final int[] perm;

    private Permute(int[] perm) {
        this.perm = perm;
    }

    public static Tensor apply(Tensor x, int... perm) {
        int[] p = perm.clone();
        Tensor y = Kernels.permute(x, p);
        return record(new Permute(p), y, x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[perm[i]] = i;
        }
        return new Tensor[] {g.permute(inverse)};
    }
}
