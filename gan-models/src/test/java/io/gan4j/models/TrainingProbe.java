package io.gan4j.models;

import io.gan4j.core.backend.Device;
import io.gan4j.core.data.LabeledImages;
import io.gan4j.core.data.Mnist;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.train.BatchSource;
import io.gan4j.core.train.GanTrainer;
import io.gan4j.core.train.ImageBatches;
import io.gan4j.core.train.StepStats;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short CPU training runs for the model tests: a few steps, then "finite and moving" checks. */
final class TrainingProbe {
    private TrainingProbe() {
    }

    /** The first {@code n} bundled MNIST digits. */
    static LabeledImages mnist(int n) {
        return Mnist.bundled().head(n);
    }

    /** {@code n} random images in [-1, 1] with random labels of {@code classes} classes. */
    static LabeledImages randomImages(int n, int channels, int size, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] pixels = new float[n * channels * size * size];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) (r.nextDouble() * 2 - 1);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(classes);
        }
        return new LabeledImages(pixels, labels, n, channels, size, size);
    }

    static BatchSource batches(LabeledImages images, int batch, int classes, Generator rng) {
        return new ImageBatches(images, batch, classes, rng, Device.cpu());
    }

    /** Trains {@code model} for {@code steps} iterations on {@code data} and checks the losses. */
    static List<StepStats> trainAndCheck(GanModel<?> model, int steps, java.util.function.Function<Generator, BatchSource> data) {
        Generator rng = new Generator(7);
        GanTrainer trainer = model.trainer(rng, Device.cpu(), data.apply(rng)).build();
        List<StepStats> stats = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            stats.add(trainer.trainStep());
        }
        assertFiniteAndMoving(model.name(), stats.stream().map(StepStats::dLoss).toList(), "D loss");
        assertFiniteAndMoving(model.name(), stats.stream().map(StepStats::gLoss).toList(), "G loss");
        return stats;
    }

    static void assertFiniteAndMoving(String model, List<Float> values, String what) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            assertTrue(Float.isFinite(v), model + ": " + what + " not finite: " + values);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(max - min > 1e-5f, model + ": " + what + " did not move: " + values);
        System.out.println(model + " " + what + ": " + values);
    }
}
