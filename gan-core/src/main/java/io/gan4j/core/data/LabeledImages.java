package io.gan4j.core.data;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.tensor.Tensor;

/**
 * Images held on the host as float NCHW scaled to [-1, 1] (the range of a tanh generator), with integer
 * class labels (or none).
 */
public final class LabeledImages {
    private final float[] pixels;
    private final int[] labels;
    private final int count;
    private final int channels;
    private final int height;
    private final int width;

    public LabeledImages(float[] pixels, int[] labels, int count, int channels, int height, int width) {
        if ((long) count * channels * height * width != pixels.length) {
            throw new IllegalArgumentException("images: " + pixels.length + " pixels for " + count + " images of "
                    + channels + "x" + height + "x" + width);
        }
        if (labels != null && labels.length != count) {
            throw new IllegalArgumentException("images: " + labels.length + " labels for " + count + " images");
        }
        this.pixels = pixels;
        this.labels = labels;
        this.count = count;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    public int size() {
        return count;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public boolean hasLabels() {
        return labels != null;
    }

    public int label(int i) {
        return labels[i];
    }

    /** The first {@code n} images (sharing nothing with this set). */
    public LabeledImages head(int n) {
        int m = Math.min(n, count);
        int per = channels * height * width;
        float[] p = java.util.Arrays.copyOf(pixels, m * per);
        return new LabeledImages(p, labels == null ? null : java.util.Arrays.copyOf(labels, m), m, channels, height, width);
    }

    /** The images at {@code indices} as a {@code [n, C, H, W]} tensor. */
    public Tensor images(Backend backend, int[] indices) {
        int per = channels * height * width;
        float[] batch = new float[indices.length * per];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * per, batch, i * per, per);
        }
        return Tensor.of(backend, batch, indices.length, channels, height, width);
    }

    /** The labels at {@code indices} as a {@code [n]} tensor of class indices stored as floats. */
    public Tensor labels(Backend backend, int[] indices) {
        if (labels == null) {
            throw new IllegalStateException("images: this data set has no labels");
        }
        float[] l = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            l[i] = labels[indices[i]];
        }
        return Tensor.of(backend, l, indices.length);
    }
}
