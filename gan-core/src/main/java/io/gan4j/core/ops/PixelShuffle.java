package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * Pixel shuffle {@code [N, C*r*r, H, W] -> [N, C, H*r, W*r]} (Shi et al. 2016, as PyTorch), or its
 * inverse; each is the other's derivative.
 */
public final class PixelShuffle extends Function {
    private final int r;
    private final boolean inverse;

    private PixelShuffle(int r, boolean inverse) {
        this.r = r;
        this.inverse = inverse;
    }

    public static Tensor apply(Tensor x, int r) {
        int[] s = x.shape();
        if (s.length != 4 || r < 1 || s[1] % (r * r) != 0) {
            throw new IllegalArgumentException("pixel_shuffle: expected [N, C*r*r, H, W] with r = " + r + ", got "
                    + Shape.str(s));
        }
        int c = s[1] / (r * r);
        Tensor y = Tensor.empty(x.backend(), s[0], c, s[2] * r, s[3] * r);
        x.backend().pixelShuffle(s[0], c, s[2], s[3], r, false, x.buffer(), y.buffer());
        return record(new PixelShuffle(r, false), y, x);
    }

    public static Tensor applyInverse(Tensor x, int r) {
        int[] s = x.shape();
        if (s.length != 4 || r < 1 || s[2] % r != 0 || s[3] % r != 0) {
            throw new IllegalArgumentException("pixel_unshuffle: expected [N, C, H*r, W*r] with r = " + r + ", got "
                    + Shape.str(s));
        }
        Tensor y = Tensor.empty(x.backend(), s[0], s[1] * r * r, s[2] / r, s[3] / r);
        x.backend().pixelShuffle(s[0], s[1], s[2] / r, s[3] / r, r, true, x.buffer(), y.buffer());
        return record(new PixelShuffle(r, true), y, x);
    }

    @Override
    public String name() {
        return inverse ? "PixelUnshuffle" : "PixelShuffle";
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {inverse ? apply(g, r) : applyInverse(g, r)};
    }
}
