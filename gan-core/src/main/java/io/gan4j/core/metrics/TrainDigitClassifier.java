package io.gan4j.core.metrics;

import io.gan4j.core.data.LabeledImages;
import io.gan4j.core.data.Mnist;
import io.gan4j.core.tensor.Generator;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Rebuilds the weights of {@link DigitClassifier#bundled()}: trains on the first
 * {@value DigitClassifier#TRAIN_DIGITS} digits of the bundled MNIST subset, reports the accuracy on the
 * last 1,000 after every epoch, and writes the weights (atomically) with their provenance as metadata.
 * From the repository root (Maven runs the command in {@code gan-core/}, hence the relative path):
 *
 * <pre>
 * ./mvnw -B -q -pl gan-core compile exec:exec -Dexec.executable=java -Dexec.args="--add-modules=jdk.incubator.vector \
 *     -cp %classpath io.gan4j.core.metrics.TrainDigitClassifier src/main/resources/io/gan4j/core/metrics/digit-classifier.safetensors 8 1"
 * </pre>
 *
 * Arguments: output file, epochs (default 8), seed (default 1). On the CPU backend the same arguments give
 * the same file, byte for byte. The shipped weights came from exactly the command above.
 */
public final class TrainDigitClassifier {
    private TrainDigitClassifier() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3 || args[0].startsWith("-")) {
            System.err.println("usage: TrainDigitClassifier <output.safetensors> [epochs=8] [seed=1]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        LabeledImages data = Mnist.bundled();
        int train = DigitClassifier.TRAIN_DIGITS;
        System.out.printf(Locale.ROOT, "training the digit classifier on %d digits, testing on %d; %d epochs, seed %d%n",
                train, data.size() - train, epochs, seed);
        long start = System.nanoTime();
        int n = data.size();
        try (DigitClassifier model = DigitClassifier.fit(data, train, epochs, new Generator(seed), (e, m) ->
                System.out.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  train accuracy %.2f %%  test accuracy %.2f %%  (%.0f s)%n",
                        e.epoch(), e.epochs(), e.meanLoss(), 100 * e.trainAccuracy(), 100 * m.accuracy(data, train, n),
                        e.seconds()))) {
            double test = model.accuracy(data, train, n);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("description", "GAN4J DigitClassifier: MNIST classifier for the recognisable-digits metric");
            meta.put("trained_on", "Mnist.bundled() digits [0, " + train + ")");
            meta.put("test_accuracy", String.format(Locale.ROOT, "%.4f", test));
            meta.put("test_digits", "Mnist.bundled() digits [" + train + ", " + data.size() + ")");
            meta.put("epochs", Integer.toString(epochs));
            meta.put("seed", Long.toString(seed));
            meta.put("command", "io.gan4j.core.metrics.TrainDigitClassifier <out> " + epochs + " " + seed
                    + " (see its javadoc)");
            model.save(out, meta);
            System.out.printf(Locale.ROOT, "test accuracy %.2f %% on %d held-out digits; %.0f s in all; wrote %s%n",
                    100 * test, data.size() - train, seconds, out);
        }
    }
}
