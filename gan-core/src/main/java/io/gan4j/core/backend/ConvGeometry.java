package io.gan4j.core.backend;

/**
 * The sizes of one 2-D convolution, NCHW: input {@code [n, c, h, w]}, weight {@code [k, c, r, s]},
 * output {@code [n, k, p, q]}. A transposed convolution is the backward-data pass of the convolution
 * whose geometry maps its output back to its input.
 */
public record ConvGeometry(int n, int c, int h, int w, int k, int r, int s,
                           int strideH, int strideW, int padH, int padW, int p, int q) {

    public ConvGeometry {
        if (n < 1 || c < 1 || h < 1 || w < 1 || k < 1 || r < 1 || s < 1 || strideH < 1 || strideW < 1
                || padH < 0 || padW < 0 || p < 1 || q < 1) {
            throw new IllegalArgumentException("conv2d: invalid geometry " + describe(n, c, h, w, k, r, s,
                    strideH, strideW, padH, padW, p, q));
        }
        // every output position must be reachable, and no more of them than the padded input allows
        if ((p - 1) * strideH + r > h + 2 * padH + strideH - 1 || (q - 1) * strideW + s > w + 2 * padW + strideW - 1) {
            throw new IllegalArgumentException("conv2d: output " + p + "x" + q + " does not fit input " + h + "x" + w
                    + " with kernel " + r + "x" + s + ", stride " + strideH + "x" + strideW + ", padding " + padH + "x" + padW);
        }
    }

    /** Geometry of a convolution, output size computed as PyTorch does. */
    public static ConvGeometry forward(int n, int c, int h, int w, int k, int r, int s,
                                       int strideH, int strideW, int padH, int padW) {
        // before the division below: a zero stride would be an ArithmeticException, not a clear error
        if (strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: stride " + strideH + "x" + strideW + " must be positive and "
                    + "padding " + padH + "x" + padW + " non-negative");
        }
        int p = (h + 2 * padH - r) / strideH + 1;
        int q = (w + 2 * padW - s) / strideW + 1;
        if (h + 2 * padH < r || w + 2 * padW < s) {
            throw new IllegalArgumentException("conv2d: kernel " + r + "x" + s + " larger than padded input "
                    + (h + 2 * padH) + "x" + (w + 2 * padW));
        }
        return new ConvGeometry(n, c, h, w, k, r, s, strideH, strideW, padH, padW, p, q);
    }

    /**
     * Geometry of the convolution whose backward-data pass is the transposed convolution of
     * {@code [n, inC, inH, inW]} to {@code outC} channels: output size
     * {@code (in - 1) * stride - 2 * pad + kernel + outputPadding}, as PyTorch's ConvTranspose2d.
     */
    public static ConvGeometry transposed(int n, int inC, int inH, int inW, int outC, int r, int s,
                                          int strideH, int strideW, int padH, int padW, int outPadH, int outPadW) {
        if (outPadH < 0 || outPadW < 0 || outPadH >= Math.max(strideH, 1) || outPadW >= Math.max(strideW, 1)) {
            throw new IllegalArgumentException("conv_transpose2d: output padding " + outPadH + "x" + outPadW
                    + " must be smaller than stride " + strideH + "x" + strideW);
        }
        int h = (inH - 1) * strideH - 2 * padH + r + outPadH;
        int w = (inW - 1) * strideW - 2 * padW + s + outPadW;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("conv_transpose2d: output size " + h + "x" + w + " is empty for input "
                    + inH + "x" + inW + ", kernel " + r + "x" + s + ", stride " + strideH + ", padding " + padH);
        }
        return new ConvGeometry(n, outC, h, w, inC, r, s, strideH, strideW, padH, padW, inH, inW);
    }

    public long inputSize() { return (long) n * c * h * w; }
    public long weightSize() { return (long) k * c * r * s; }
    public long outputSize() { return (long) n * k * p * q; }

    /** Multiply-adds of the forward pass (each backward pass costs the same). */
    public long macs() { return (long) n * k * p * q * c * r * s; }

    private static String describe(int... v) {
        return String.format("n=%d c=%d h=%d w=%d k=%d r=%d s=%d stride=%dx%d pad=%dx%d out=%dx%d",
                v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]);
    }
}
