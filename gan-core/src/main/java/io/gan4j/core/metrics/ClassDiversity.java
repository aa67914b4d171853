package io.gan4j.core.metrics;

import io.gan4j.core.data.LabeledImages;
import io.gan4j.core.data.Mnist;
import io.gan4j.core.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Mode collapse inside a class, which {@link DigitQuality} cannot see: a generator that draws the same "7" a
 * hundred times scores 100 % confident. For every class, the mean pixel (L2) distance between two of its
 * images, for generated images grouped by their class (the requested one, or the classifier's) and for real
 * images grouped by label; the <em>ratio</em> of the two is near 1 when the generated images of a class vary
 * as much as real ones, and near 0 when they are copies of one another.
 *
 * <pre>
 * ClassDiversity.Report d = ClassDiversity.againstHeldOutDigits(images, classes);
 * System.out.println(d);  // within-class diversity 0.93 of real digits' (per class [0.95, 0.88, ...])
 * </pre>
 */
public final class ClassDiversity {
    private ClassDiversity() {
    }

    /**
     * Per class k: the mean distance between two generated images of class k ({@code generated[k]}, NaN with
     * fewer than 2 of them), the same for the real images ({@code real[k]}), and how many generated images
     * fell in the class ({@code counts[k]}).
     */
    public record Report(double[] generated, double[] real, int[] counts) {
        public Report {
            generated = generated.clone();
            real = real.clone();
            counts = counts.clone();
        }

        @Override
        public double[] generated() {
            return generated.clone();
        }

        @Override
        public double[] real() {
            return real.clone();
        }

        @Override
        public int[] counts() {
            return counts.clone();
        }

        /** Generated over real diversity of class k; NaN when either is unknown. */
        public double ratio(int k) {
            return generated[k] / real[k];
        }

        /** The mean ratio over the classes where it is known; NaN if none. */
        public double meanRatio() {
            return IntStream.range(0, generated.length).mapToDouble(this::ratio).filter(r -> !Double.isNaN(r))
                    .average().orElse(Double.NaN);
        }

        @Override
        public String toString() {
            String[] perClass = IntStream.range(0, generated.length)
                    .mapToObj(k -> String.format(Locale.ROOT, "%.2f", ratio(k))).toArray(String[]::new);
            return String.format(Locale.ROOT, "within-class diversity %.2f of real digits' (per class %s)",
                    meanRatio(), "[" + String.join(", ", perClass) + "]");
        }
    }

    /**
     * Compares generated images {@code [N, 1, 28, 28]} (pixels in [-1, 1]), image i of class
     * {@code classes[i]} (-1 leaves it out), with the held-out digits of the bundled MNIST subset (those the
     * shipped {@link DigitClassifier} was not trained on).
     */
    public static Report againstHeldOutDigits(Tensor images, int[] classes) {
        float[] generated = images.toArray();
        // the real digits are in [-1, 1]: images in [0, 1] would look half as diverse
        DigitQuality.checkPixelRange("within-class diversity", generated);
        LabeledImages digits = Mnist.bundled();
        int[] heldOut = IntStream.range(DigitClassifier.TRAIN_DIGITS, digits.size()).toArray();
        float[] real = digits.images(images.backend(), heldOut).toArray();
        int[] labels = Arrays.stream(heldOut).map(digits::label).toArray();
        return evaluate(generated, classes, real, labels, DigitClassifier.CLASSES,
                DigitClassifier.SIZE * DigitClassifier.SIZE);
    }

    /**
     * The report for {@code generated} and {@code real} images, each {@code pixels} floats long and laid
     * end to end, of classes {@code classes[i]} and {@code labels[i]} in [0, numClasses) (-1 leaves an
     * image out).
     */
    public static Report evaluate(float[] generated, int[] classes, float[] real, int[] labels, int numClasses,
                                  int pixels) {
        check("generated", generated, classes, numClasses, pixels);
        check("real", real, labels, numClasses, pixels);
        double[] g = new double[numClasses];
        double[] r = new double[numClasses];
        int[] counts = new int[numClasses];
        for (int k = 0; k < numClasses; k++) {
            int[] mine = members(classes, k);
            counts[k] = mine.length;
            g[k] = meanPairwiseDistance(generated, pixels, mine);
            r[k] = meanPairwiseDistance(real, pixels, members(labels, k));
        }
        return new Report(g, r, counts);
    }

    private static void check(String what, float[] images, int[] classes, int numClasses, int pixels) {
        if (pixels < 1 || numClasses < 1 || images.length != (long) classes.length * pixels) {
            throw new IllegalArgumentException("ClassDiversity: expected " + what + " images of " + pixels
                    + " pixels, one per class entry (" + classes.length + "), got " + images.length + " floats");
        }
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < -1 || classes[i] >= numClasses) {
                throw new IllegalArgumentException("ClassDiversity: " + what + " image " + i + " has class "
                        + classes[i] + ", expected -1 (left out) or 0.." + (numClasses - 1));
            }
        }
    }

    private static int[] members(int[] classes, int k) {
        return IntStream.range(0, classes.length).filter(i -> classes[i] == k).toArray();
    }

    /** The mean L2 distance over the unordered pairs of the given images; NaN with fewer than 2. */
    static double meanPairwiseDistance(float[] images, int pixels, int[] members) {
        int m = members.length;
        if (m < 2) {
            return Double.NaN;
        }
        // rows in parallel, summed in order: the same figure for any number of threads
        double[] rows = IntStream.range(0, m).parallel().mapToDouble(a -> {
            double row = 0;
            int pa = members[a] * pixels;
            for (int b = a + 1; b < m; b++) {
                int pb = members[b] * pixels;
                double d2 = 0;
                for (int p = 0; p < pixels; p++) {
                    double d = images[pa + p] - images[pb + p];
                    d2 += d * d;
                }
                row += Math.sqrt(d2);
            }
            return row;
        }).toArray();
        double sum = 0;
        for (double row : rows) {
            sum += row;
        }
        return sum / ((double) m * (m - 1) / 2);
    }
}
