package io.gan4j.core.metrics;

import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;

/**
 * "Recognisable digits": how a trained MNIST classifier ({@link DigitClassifier}) sees generated
 * digits. A digit is <em>confident</em> when its most probable class has probability at least
 * {@value #CONFIDENCE}; a class is <em>found</em> when at least {@code minPerClass} confident digits fall
 * in it (default 1). For a conditional generator, the <em>requested-digit share</em> is the share of all
 * digits (confident or not) whose most probable class is the one that was asked for.
 *
 * <p>The project's bar: on 1,000 generated digits, confident share at least 80 % and all 10 classes
 * found; a conditional GAN's requested-digit share at least 90 %. The figures mean little without n,
 * so the report always prints it.
 */
public final class DigitQuality {
    /** The probability of the top class above which a digit counts as recognised. */
    public static final double CONFIDENCE = 0.9;
    public static final int DEFAULT_MIN_PER_CLASS = 1;

    private DigitQuality() {
    }

    /**
     * What the metric found. {@code confidentPerClass[k]} counts confident digits classified as k;
     * {@code requestedShare} is NaN when no requested labels were given. Digits with NaN pixels (a
     * diverged generator) are counted in n and are never confident or correct.
     */
    public record Report(int n, double confidentShare, int classesFound, int[] confidentPerClass,
                         double requestedShare) {

        public boolean hasRequestedLabels() {
            return !Double.isNaN(requestedShare);
        }

        @Override
        public String toString() {
            String s = String.format(Locale.ROOT, "confident (p >= %.1f) %.1f %%, classes found %d/%d, per class %s",
                    CONFIDENCE, 100 * confidentShare, classesFound, confidentPerClass.length,
                    Arrays.toString(confidentPerClass));
            if (hasRequestedLabels()) {
                s += String.format(Locale.ROOT, ", requested digit %.1f %%", 100 * requestedShare);
            }
            return s + " (n=" + n + ")";
        }
    }

    /** The figures for generated images {@code [N, 1, 28, 28]} with pixels in [-1, 1]. */
    public static Report evaluate(DigitClassifier classifier, Tensor images) {
        return evaluate(classifier, images, null);
    }

    /**
     * As {@link #evaluate(DigitClassifier, Tensor)}, with {@code requested[i]} the digit that image i was
     * generated for (may be null).
     */
    public static Report evaluate(DigitClassifier classifier, Tensor images, int[] requested) {
        checkPixelRange(images.toArray());
        float[] probs;
        try (MemoryScope scope = MemoryScope.open()) {
            probs = classifier.predict(images).toArray();
        }
        return fromProbabilities(probs, DigitClassifier.CLASSES, requested, DEFAULT_MIN_PER_CLASS);
    }

    /**
     * The figures from class probabilities ({@code n} rows of {@code classes}, row-major), the metric
     * itself without a network.
     */
    public static Report fromProbabilities(float[] probs, int classes, int[] requested, int minPerClass) {
        if (classes < 1 || probs.length % classes != 0) {
            throw new IllegalArgumentException("digit quality: " + probs.length + " probabilities are not rows of "
                    + classes + " classes");
        }
        int n = probs.length / classes;
        if (requested != null && requested.length != n) {
            throw new IllegalArgumentException("digit quality: " + requested.length + " requested labels for "
                    + n + " images (expected one per image)");
        }
        if (minPerClass < 1) {
            throw new IllegalArgumentException("digit quality: minPerClass must be >= 1, got " + minPerClass);
        }
        int[] top = argmax(probs, classes);
        int[] perClass = new int[classes];
        int confident = 0;
        int asRequested = 0;
        for (int i = 0; i < n; i++) {
            if (top[i] < 0) {
                continue;
            }
            if (probs[i * classes + top[i]] >= CONFIDENCE) {
                perClass[top[i]]++;
                confident++;
            }
            if (requested != null && requested[i] == top[i]) {
                asRequested++;
            }
        }
        int found = 0;
        for (int c : perClass) {
            if (c >= minPerClass) {
                found++;
            }
        }
        return new Report(n, n == 0 ? 0 : (double) confident / n, found, perClass,
                requested == null ? Double.NaN : n == 0 ? 0 : (double) asRequested / n);
    }

    // Images in [0, 1] or [0, 255] would be classified without complaint, and wrongly: the classifier
    // learnt that -1 is the background. NaN pixels pass (they are reported as unrecognised digits).
    private static void checkPixelRange(float[] pixels) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : pixels) {
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }
        if (min < -1.01f || max > 1.01f) {
            throw new IllegalArgumentException("digit quality: pixels range over [" + min + ", " + max
                    + "] (expected [-1, 1], the range of a tanh generator and of Mnist.bundled())");
        }
    }

    /** The index of the largest value of each row; -1 for a row with a NaN (no class can be named). */
    static int[] argmax(float[] rows, int classes) {
        int n = rows.length / classes;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 0; k < classes; k++) {
                float v = rows[i * classes + k];
                if (Float.isNaN(v)) {
                    best = -1;
                    break;
                }
                if (v > rows[i * classes + best]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
