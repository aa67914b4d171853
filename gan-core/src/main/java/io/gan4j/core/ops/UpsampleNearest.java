package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/** Nearest-neighbour upsampling of {@code [N, C, H, W]} by an integer factor. */
public final class UpsampleNearest extends Function {
    private final int factor;

    private UpsampleNearest(int factor) {
        this.factor = factor;
    }

    public static Tensor apply(Tensor x, int factor) {
        if (x.dim() != 4 || factor < 1) {
            throw new IllegalArgumentException("upsample_nearest: expected [N, C, H, W] and a factor >= 1, got "
                    + Shape.str(x.shape()) + " and " + factor);
        }
        int[] s = x.shape();
        Tensor y = Tensor.empty(x.backend(), s[0], s[1], s[2] * factor, s[3] * factor);
        x.backend().upsampleNearest(s[0] * s[1], s[2], s[3], factor, factor, x.buffer(), y.buffer());
        return record(new UpsampleNearest(factor), y, x);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {UpsampleNearestGrad.apply(g, factor)};
    }

    /** Sums each {@code factor x factor} block: the adjoint of upsampling, whose own adjoint is upsampling. */
    public static final class UpsampleNearestGrad extends Function {
        private final int factor;

        private UpsampleNearestGrad(int factor) {
            this.factor = factor;
        }

        static Tensor apply(Tensor g, int factor) {
            int[] s = g.shape();
            Tensor dx = Tensor.empty(g.backend(), s[0], s[1], s[2] / factor, s[3] / factor);
            g.backend().upsampleNearestBackward(s[0] * s[1], s[2] / factor, s[3] / factor, factor, factor,
                    g.buffer(), dx.buffer());
            return record(new UpsampleNearestGrad(factor), dx, g);
        }

        @Override
        protected Tensor[] backward(Tensor gg) {
            return new Tensor[] {UpsampleNearest.apply(gg, factor)};
        }
    }
}
