package io.gan4j.core.backend.cpu;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Scratch matrices of the convolution kernels, kept between calls: a column matrix of a batch slice is
 * megabytes, and allocating (zeroing) it on every call costs as much as filling it. Contents are never
 * read before the kernel writes them in the same call.
 */
final class ConvScratch {
    private float[] columns = new float[0];
    private float[] inputs = new float[0];
    private float[] outputs = new float[0];
    private float[] partial = new float[0];
    private float[] tapsLast = new float[0];
    private float[] tiles = new float[0];
    private float[] products = new float[0];
    private float[] transformedWeights = new float[0];
    private ConvScratch[] groups = new ConvScratch[0];

    /** Makes sure {@link #group} has scratches for groups {@code [0, count)}; call before the parallel loop. */
    void prepareGroups(int count) {
        if (groups.length < count) {
            ConvScratch[] more = java.util.Arrays.copyOf(groups, count);
            for (int i = groups.length; i < count; i++) {
                more[i] = new ConvScratch();
            }
            groups = more;
        }
    }

    /**
     * The scratch of group {@code i} of the batch-parallel path (see {@link #prepareGroups}), kept with this
     * one; a group is worked on by one task at a time, so groups never share.
     */
    ConvScratch group(int i) {
        return groups[i];
    }

    /** A group's partial weight gradient, at least {@code length} floats. */
    float[] partial(int length) {
        partial = Scratch.atLeast(partial, length);
        return partial;
    }

    /** A weight gradient with the taps in (r, s, c) order ({@link ColumnPanels#patchesByPixel}), at least {@code length} floats. */
    float[] tapsLast(int length) {
        tapsLast = Scratch.atLeast(tapsLast, length);
        return tapsLast;
    }

    /** The column matrix, at least {@code length} floats. */
    float[] columns(long length) {
        columns = Scratch.atLeast(columns, length);
        return columns;
    }

    /** The input slice reordered batch innermost, at least {@code length} floats. */
    float[] inputs(long length) {
        inputs = Scratch.atLeast(inputs, length);
        return inputs;
    }

    /** The {@code [K][PQ*n]} matrix of outputs or output gradients, at least {@code length} floats. */
    float[] outputs(long length) {
        outputs = Scratch.atLeast(outputs, length);
        return outputs;
    }

    /** {@link WinogradConvolution}'s transformed input tiles, at least {@code length} floats. */
    float[] tiles(long length) {
        tiles = Scratch.atLeast(tiles, length);
        return tiles;
    }

    /** {@link WinogradConvolution}'s 36 products (or output-gradient tiles), at least {@code length} floats. */
    float[] products(long length) {
        products = Scratch.atLeast(products, length);
        return products;
    }

    /** {@link WinogradConvolution}'s transformed weights (or their gradient), at least {@code length} floats. */
    float[] transformedWeights(long length) {
        transformedWeights = Scratch.atLeast(transformedWeights, length);
        return transformedWeights;
    }

    /**
     * Holds one idle scratch: a call takes it (or makes a new one when another call has it, so concurrent
     * callers never share) and gives it back when done.
     */
    static final class Cache {
        private final AtomicReference<ConvScratch> idle = new AtomicReference<>();

        ConvScratch take() {
            ConvScratch s = idle.getAndSet(null);
            return s != null ? s : new ConvScratch();
        }

        void giveBack(ConvScratch s) {
            idle.set(s);
        }
    }
}
