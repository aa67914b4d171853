package io.gan4j.core.metrics;

import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;

/**
 * "Recognisable digits": how a trained MNIST classifier ({@link DigitClassifier}) sees generated
 * digits.
 *
 * <ul>
 *   <li>A digit is <em>confident</em> when its most probable class has probability at least
 *       {@value #CONFIDENCE}; the <em>confident share</em> is the share of all n digits that are.</li>
 *   <li>A class is <em>found</em> when at least {@code minPerClass} confident digits fall in it (default
 *       {@value #DEFAULT_MIN_PER_CLASS}: one clear example of each digit suffices; pass e.g. 1 % of n to
 *       ask that every class also be produced in some quantity).</li>
 *   <li>The <em>histograms</em>: confident digits per class, and all digits per most probable class.</li>
 *   <li>For a conditional generator, the <em>requested-digit share</em> is the share of all digits
 *       (confident or not) whose most probable class is the one that was asked for.</li>
 * </ul>
 *
 * <p>Images are {@code [N, 1, 28, 28]} with pixels in [-1, 1] (a tanh generator's range, and that of
 * {@code Mnist.bundled()}); other ranges are refused rather than silently misjudged. Digits with NaN
 * pixels (a diverged generator) are counted in n and are never confident, found or as requested.
 *
 * <p>The project's bar: on 1,000 generated digits, confident share at least 80 % and all 10 classes
 * found ({@code report.meets(0.8, 10)}); a conditional GAN's requested-digit share at least 90 %. The
 * figures mean little without n, so the report always prints it. For scale, with the shipped classifier:
 * the 1,000 held-out real digits of the bundled subset give 97.0 % confident, 10 classes found (also at 10
 * per class) and 98.0 % as labelled; 1,000 images of uniform noise give 34 % confident but in 3 classes only
 * (a convolutional net is over-confident off its data, which is why the bar asks for both figures); a blank
 * canvas gives 0 %.
 *
 * <pre>
 * DigitQuality.Report r = DigitQuality.evaluate(generatedImages);            // the shipped classifier
 * DigitQuality.Report c = DigitQuality.evaluate(classifier, images, labels);  // conditional: requested digits
 * System.out.println(r);  // confident (p >= 0.9) 86.3 %, classes found 10/10, ... (n=1000)
 * </pre>
 */
public final class DigitQuality {
    /** The probability of the top class at or above which a digit counts as recognised. */
    public static final double CONFIDENCE = 0.9;
    /** Confident digits a class needs to count as found, unless told otherwise. */
    public static final int DEFAULT_MIN_PER_CLASS = 1;

    private DigitQuality() {
    }

    /**
     * What the metric found over {@code n} digits. {@code confidentPerClass[k]} counts confident digits
     * classified as k, {@code predictedPerClass[k]} all digits whose most probable class is k (NaN digits
     * are in neither); {@code requestedShare} is NaN when no requested labels were given.
     */
    public record Report(int n, double confidentShare, int classesFound, int minPerClass, int[] confidentPerClass,
                         int[] predictedPerClass, double requestedShare) {

        public Report {
            confidentPerClass = confidentPerClass.clone();
            predictedPerClass = predictedPerClass.clone();
        }

        @Override
        public int[] confidentPerClass() {
            return confidentPerClass.clone();
        }

        @Override
        public int[] predictedPerClass() {
            return predictedPerClass.clone();
        }

        /** The number of classes the classifier knows (10 for digits). */
        public int classes() {
            return confidentPerClass.length;
        }

        public boolean hasRequestedLabels() {
            return !Double.isNaN(requestedShare);
        }

        /** Whether at least {@code minConfidentShare} of the digits are confident and {@code minClasses} found. */
        public boolean meets(double minConfidentShare, int minClasses) {
            return confidentShare >= minConfidentShare && classesFound >= minClasses;
        }

        @Override
        public String toString() {
            String s = String.format(Locale.ROOT, "confident (p >= %.1f) %.1f %%, classes found %d/%d%s, "
                            + "confident per class %s",
                    CONFIDENCE, 100 * confidentShare, classesFound, classes(),
                    minPerClass == 1 ? "" : " (>= " + minPerClass + " each)", Arrays.toString(confidentPerClass));
            if (hasRequestedLabels()) {
                s += String.format(Locale.ROOT, ", requested digit %.1f %%", 100 * requestedShare);
            }
            return s + " (n=" + n + ")";
        }
    }

    /** The figures for generated images {@code [N, 1, 28, 28]} by the shipped classifier ({@link DigitClassifier#bundled()}). */
    public static Report evaluate(Tensor images) {
        try (DigitClassifier classifier = DigitClassifier.bundled()) {
            return evaluate(classifier, images, null);
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
        return evaluate(classifier, images, requested, DEFAULT_MIN_PER_CLASS);
    }

    /** As {@link #evaluate(DigitClassifier, Tensor, int[])}, a class being found from {@code minPerClass} confident digits. */
    public static Report evaluate(DigitClassifier classifier, Tensor images, int[] requested, int minPerClass) {
        checkPixelRange("digit quality", images.toArray());
        float[] probs;
        try (MemoryScope scope = MemoryScope.open()) {
            probs = classifier.predict(images).toArray();
        }
        return fromProbabilities(probs, DigitClassifier.CLASSES, requested, minPerClass);
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
        for (int i = 0; requested != null && i < n; i++) {
            if (requested[i] < 0 || requested[i] >= classes) {
                throw new IllegalArgumentException("digit quality: requested label " + i + " is " + requested[i]
                        + " (expected a class 0.." + (classes - 1) + ")");
            }
        }
        int[] top = argmax(probs, classes);
        int[] confidentPerClass = new int[classes];
        int[] predictedPerClass = new int[classes];
        int confident = 0;
        int asRequested = 0;
        for (int i = 0; i < n; i++) {
            if (top[i] < 0) {
                continue;
            }
            predictedPerClass[top[i]]++;
            // compared in float: a probability of 0.9f (0.89999998) is 0.9 as the classifier computes it
            if (probs[i * classes + top[i]] >= (float) CONFIDENCE) {
                confidentPerClass[top[i]]++;
                confident++;
            }
            if (requested != null && requested[i] == top[i]) {
                asRequested++;
            }
        }
        int found = 0;
        for (int c : confidentPerClass) {
            if (c >= minPerClass) {
                found++;
            }
        }
        return new Report(n, n == 0 ? 0 : (double) confident / n, found, minPerClass, confidentPerClass,
                predictedPerClass, requested == null ? Double.NaN : n == 0 ? 0 : (double) asRequested / n);
    }

    // Images in [0, 1] or [0, 255] would be classified without complaint, and wrongly: the classifier
    // learnt that -1 is the background. NaN pixels pass (they are reported as unrecognised digits).
    static void checkPixelRange(String metric, float[] pixels) {
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
            throw new IllegalArgumentException(metric + ": pixels range over [" + min + ", " + max
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
