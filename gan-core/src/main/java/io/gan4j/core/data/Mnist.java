package io.gan4j.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * MNIST in IDX format: the 10,000-digit subset bundled with GAN4J (see the README beside the data), or
 * any image/label file pair read from a path. Pixels are scaled from [0, 255] to [-1, 1].
 */
public final class Mnist {
    private static final String BUNDLED = "/io/gan4j/core/data/mnist/";
    private static final String IMAGES = "mnist-10k-images-idx3-ubyte.gz";
    private static final String LABELS = "mnist-10k-labels-idx1-ubyte.gz";

    private Mnist() {
    }

    /** The bundled subset: 10,000 real digits with labels. */
    public static LabeledImages bundled() {
        try (InputStream images = resource(IMAGES); InputStream labels = resource(LABELS)) {
            return of(IdxFile.read(images, "bundled " + IMAGES, 3), IdxFile.read(labels, "bundled " + LABELS, 1));
        } catch (IOException e) {
            throw new UncheckedIOException("bundled MNIST subset unreadable (damaged jar?)", e);
        }
    }

    /** An image file (IDX3) and a label file (IDX1), e.g. the full MNIST training set; ".gz" or plain. */
    public static LabeledImages read(Path images, Path labels) throws IOException {
        return of(IdxFile.read(images, 3), labels == null ? null : IdxFile.read(labels, 1));
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = Mnist.class.getResourceAsStream(BUNDLED + name);
        if (in == null) {
            throw new IOException("resource " + BUNDLED + name + " missing from the classpath");
        }
        return in;
    }

    static LabeledImages of(IdxFile images, IdxFile labels) throws DataFormatException {
        int n = images.dims()[0];
        int h = images.dims()[1];
        int w = images.dims()[2];
        int[] l = null;
        if (labels != null) {
            if (labels.dims()[0] != n) {
                throw new DataFormatException(labels.source(), "number of labels", n + " (one per image in "
                        + images.source() + ")", String.valueOf(labels.dims()[0]));
            }
            l = new int[n];
            for (int i = 0; i < n; i++) {
                l[i] = labels.data()[i] & 0xFF;
                if (l[i] > 9) {
                    throw new DataFormatException(labels.source(), "label " + i, "a digit 0-9", String.valueOf(l[i]));
                }
            }
        }
        byte[] px = images.data();
        float[] pixels = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            pixels[i] = (px[i] & 0xFF) / 127.5f - 1f;
        }
        return new LabeledImages(pixels, l, n, 1, h, w);
    }
}
