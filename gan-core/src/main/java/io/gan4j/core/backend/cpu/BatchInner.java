package io.gan4j.core.backend.cpu;

/**
 * Reorders a slice of a batch between NCHW ({@code [n][channel][i]}) and batch-innermost
 * ({@code [channel][i][n]}) layout. With the batch innermost, the column matrix of a feature map of a
 * few pixels is built from runs of whole-slice length instead of runs of one row of pixels, so
 * im2col and col2im move data with array copies; the price is one transpose of the (much smaller)
 * tensor itself.
 */
final class BatchInner {
    /** Floats per parallel task at least. */
    private static final int GRAIN = 1 << 14;
    /** Side of the square tiles the transposes go by: a tile's source and target lines stay in L1. */
    private static final int TILE = 16;

    private final Parallel parallel;

    BatchInner(Parallel parallel) {
        this.parallel = parallel;
    }

    /** {@code dst[ch][i][nl] = src[srcOff + ((n0 + nl) * channels + ch) * plane + i]} for {@code nl < cnt}. */
    void fromNchw(float[] src, int srcOff, int n0, int cnt, int channels, int plane, float[] dst) {
        int block = plane * cnt;
        int image = channels * plane;
        parallel.forRange(channels, Math.max(1, GRAIN / block), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                // the channel's [cnt][plane] matrix (rows one image apart) becomes [plane][cnt]
                transpose(src, srcOff + n0 * image + ch * plane, image, cnt, plane, dst, ch * block, cnt);
            }
        });
    }

    /** The inverse: {@code dst[dstOff + ((n0 + nl) * channels + ch) * plane + i] = src[ch][i][nl]}. */
    void toNchw(float[] src, int cnt, int channels, int plane, float[] dst, int dstOff, int n0) {
        int block = plane * cnt;
        int image = channels * plane;
        parallel.forRange(channels, Math.max(1, GRAIN / block), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                transpose(src, ch * block, cnt, plane, cnt, dst, dstOff + n0 * image + ch * plane, image);
            }
        });
    }

    /** {@code dst[dstOff + c * dstStride + r] = src[srcOff + r * srcStride + c]} for r < rows, c < cols. */
    static void transpose(float[] src, int srcOff, int srcStride, int rows, int cols,
                          float[] dst, int dstOff, int dstStride) {
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            int r1 = Math.min(rows, r0 + TILE);
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                for (int c = c0; c < c1; c++) {
                    int d = dstOff + c * dstStride;
                    for (int r = r0; r < r1; r++) {
                        dst[d + r] = src[srcOff + r * srcStride + c];
                    }
                }
            }
        }
    }
}
