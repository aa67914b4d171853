package io.gan4j.core.metrics;

import io.gan4j.core.data.GaussianMixture2d;
import io.gan4j.core.tensor.Tensor;

/**
 * Mode coverage of generated 2-D samples against a Gaussian mixture, as the mode-collapse papers
 * measure it (VEEGAN, Unrolled GAN, PacGAN): a sample is <em>high quality</em> when it lies within 3
 * sigma of its nearest mode centre; a mode is <em>covered</em> when at least {@code minSamples} high
 * quality samples fall on it. The KL divergence of the histogram of high-quality samples over modes to
 * the uniform distribution shows how evenly the covered modes are used (0 = perfectly even).
 */
public final class ModeCoverage {
    /** PacGAN's threshold for 2,500 samples: a mode with fewer than 20 high-quality samples is lost. */
    public static final int DEFAULT_MIN_SAMPLES = 20;

    private ModeCoverage() {
    }

    /** What the metric found; {@code samples} is the number evaluated. */
    public record Report(int samples, int modes, int modesCovered, double highQualityFraction,
                         double klToUniform, int[] highQualityPerMode) {

        @Override
        public String toString() {
            return String.format("modes covered %d/%d, high-quality samples %.1f %%, KL(modes || uniform) %.3f (n=%d)",
                    modesCovered, modes, 100 * highQualityFraction, klToUniform, samples);
        }
    }

    public static Report evaluate(Tensor samples, GaussianMixture2d mixture) {
        return evaluate(samples, mixture, DEFAULT_MIN_SAMPLES);
    }

    public static Report evaluate(Tensor samples, GaussianMixture2d mixture, int minSamples) {
        int[] s = samples.shape();
        if (s.length != 2 || s[1] != 2) {
            throw new IllegalArgumentException("mode coverage: expected samples of shape [n, 2], got "
                    + java.util.Arrays.toString(s));
        }
        return evaluate(samples.toArray(), mixture.centres(), mixture.sigma(), minSamples);
    }

    /** {@code xy} holds n points as (x, y) pairs. */
    public static Report evaluate(float[] xy, float[][] centres, float sigma, int minSamples) {
        int n = xy.length / 2;
        int[] hq = new int[centres.length];
        int total = 0;
        double limit = 3.0 * sigma;
        for (int i = 0; i < n; i++) {
            double x = xy[2 * i];
            double y = xy[2 * i + 1];
            int best = -1;
            double bestDist = Double.POSITIVE_INFINITY;
            for (int m = 0; m < centres.length; m++) {
                double d = Math.hypot(x - centres[m][0], y - centres[m][1]);
                if (d < bestDist) {
                    bestDist = d;
                    best = m;
                }
            }
            if (bestDist <= limit) {   // NaN samples are never high quality
                hq[best]++;
                total++;
            }
        }
        int covered = 0;
        double kl = 0;
        for (int count : hq) {
            if (count >= minSamples) {
                covered++;
            }
            if (count > 0) {
                double p = (double) count / total;
                kl += p * Math.log(p * centres.length);
            }
        }
        return new Report(n, centres.length, covered, n == 0 ? 0 : (double) total / n,
                total == 0 ? Double.POSITIVE_INFINITY : kl, hq);
    }
}
