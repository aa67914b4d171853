package io.gan4j.examples;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.BackendUnavailableException;
import io.gan4j.core.backend.Device;
import io.gan4j.core.data.LabeledImages;
import io.gan4j.core.data.Mnist;
import io.gan4j.core.io.ImageGrid;
import io.gan4j.core.loss.ModeSeekingRegularizer;
import io.gan4j.core.metrics.ClassDiversity;
import io.gan4j.core.metrics.DigitClassifier;
import io.gan4j.core.metrics.DigitQuality;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;
import io.gan4j.core.train.BatchSource;
import io.gan4j.core.train.GanTrainer;
import io.gan4j.core.train.ImageBatches;
import io.gan4j.core.train.StepStats;
import io.gan4j.core.train.TrainingDivergedException;
import io.gan4j.models.ConditionalGan;
import io.gan4j.models.FlattenedBatches;
import io.gan4j.models.GanModel;
import io.gan4j.models.LatentArchitecture;
import io.gan4j.models.Models;
import io.gan4j.models.VanillaGan;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code gan train}: trains a model of the registry on the bundled MNIST digits, shows D(x), D(G(z)) and the
 * losses as it goes, keeps a resumable checkpoint and a sample grid, and ends by measuring the generated
 * digits with the project's digit classifier.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a GAN of the model registry on the bundled MNIST digits (10,000 real digits).",
            "Writes <out>/checkpoint.safetensors (resumable, written atomically) and <out>/samples.png,",
            "then prints the digit quality of 1,000 samples: the share the digit classifier labels with",
            "confidence >= 0.9, the classes found and, for a conditional model, how often the requested",
            "digit is the one generated."})
final class TrainCommand implements Callable<Integer> {
    private static final int EVALUATION_SAMPLES = 1000;
    private static final long DEFAULT_STEPS = 2000;
    /** Samples in the grid of an unconditional model (8 x 8); a conditional one shows 10 of each digit. */
    private static final int GRID = 64;

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "dcgan-mnist, cgan-mnist, cgan-mnist-concat or vanilla (28x28 digits).")
    String model;

    @Option(names = "--steps", description = "Training iterations (D step + G step) to reach. Default: "
            + DEFAULT_STEPS + ", or no limit when --minutes is given.")
    Long steps;

    @Option(names = "--minutes", description = "Stop after this many minutes of training (steps left or not).")
    Double minutes;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size. Default: ${DEFAULT-VALUE} (DESIGN.md).")
    int batch;

    @Option(names = "--lr", description = "Adam learning rate of both networks (default: the model's recipe).")
    Float lr;

    @Option(names = "--ema", defaultValue = "0.999",
            description = "EMA decay of the generator's weights used for samples and evaluation, 0 for none. "
                    + "Default: ${DEFAULT-VALUE}.")
    float ema;

    @Option(names = "--mode-seeking", paramLabel = "LAMBDA", defaultValue = "0",
            description = "Weight of MSGAN's mode-seeking term in the generator's loss (Mao et al. 2019; 1 in the "
                    + "paper), against a conditional generator that ignores its noise. Default: ${DEFAULT-VALUE} (off).")
    float modeSeeking;

    @Option(names = "--seed", defaultValue = "1", description = "The run's seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", description = "Run directory. Default: runs/<MODEL>.")
    Path out;

    @Option(names = "--checkpoint-every", defaultValue = "250",
            description = "Steps between checkpoints. Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from <out>/checkpoint.safetensors when it exists.")
    boolean resume;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or auto. Default: ${DEFAULT-VALUE}.")
    String device;

    @Override
    public Integer call() throws Exception {
        long target = steps != null ? steps : minutes != null ? Long.MAX_VALUE : DEFAULT_STEPS;
        if (target < 1 || batch < 1 || checkpointEvery < 1 || (minutes != null && !(minutes > 0))
                || !(ema >= 0 && ema < 1) || (lr != null && !(lr > 0))) {
            System.err.println("gan train: expected --steps >= 1, --batch >= 1, --checkpoint-every >= 1, --minutes > 0, "
                    + "0 <= --ema < 1, --lr > 0");
            return 2;
        }
        ModeSeekingRegularizer seeking;
        try {
            seeking = modeSeeking == 0 ? null : new ModeSeekingRegularizer(modeSeeking);
        } catch (IllegalArgumentException e) {
            System.err.println("gan train: --mode-seeking: " + e.getMessage() + " (0 turns it off)");
            return 2;
        }
        GanModel<?> chosen;
        try {
            chosen = Models.get(model);
        } catch (IllegalArgumentException e) {
            System.err.println("gan train: MODEL: " + e.getMessage());
            return 2;
        }
        if (!(chosen.architecture() instanceof LatentArchitecture)) {
            System.err.println("gan train: MODEL: " + model + " does not map noise to images; expected one of "
                    + "dcgan-mnist, cgan-mnist, cgan-mnist-concat, vanilla");
            return 2;
        }
        GanModel<?> m = chosen.withRecipe(r -> lr != null ? r.withEma(ema).withLr(lr) : r.withEma(ema));
        int classes = m.architecture() instanceof ConditionalGan c ? c.classes() : 0;
        Path dir = out != null ? out : Path.of("runs", model);
        Path checkpoint = dir.resolve("checkpoint.safetensors");

        Backend backend;
        try {
            backend = Device.named(device);
        } catch (BackendUnavailableException e) {
            System.err.println("gan train: --device: " + e.getMessage());
            return 2;
        }
        Generator rng = new Generator(seed);
        LabeledImages digits = Mnist.bundled();
        BatchSource digitBatches = new ImageBatches(digits, batch, classes, rng, backend);
        // the MLP of the Vanilla GAN sees a digit as 784 numbers
        BatchSource data = m.architecture() instanceof VanillaGan ? new FlattenedBatches(digitBatches) : digitBatches;
        GanTrainer trainer;
        try {
            trainer = m.trainer(rng, backend, data).modeSeeking(seeking).build();
        } catch (IllegalArgumentException e) {
            // a setting the trainer refuses, e.g. mode seeking with --batch 1
            System.err.println("gan train: " + e.getMessage());
            return 2;
        }
        Files.createDirectories(dir);
        if (resume && Files.exists(checkpoint)) {
            trainer.resume(checkpoint);
            System.err.println("gan train: resumed " + checkpoint + " at step " + trainer.step());
        }
        System.err.printf("gan train: %s on %d bundled MNIST digits, batch %d, %s, seed %d -> %s%n",
                model, digits.size(), batch, backend, seed, dir);

        long start = System.nanoTime();
        long deadline = minutes == null ? Long.MAX_VALUE : start + (long) (minutes * 60e9);
        long first = trainer.step();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(model)
                .setInitialMax(target == Long.MAX_VALUE ? -1 : target)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(1000).build()) {
            bar.stepTo(first);
            while (trainer.step() < target && System.nanoTime() < deadline) {
                StepStats s = trainer.trainStep();
                bar.stepTo(s.step());
                bar.setExtraMessage(String.format(" D(x) %.2f D(G(z)) %.2f D %.2f G %.2f",
                        s.dReal(), s.dFake(), s.dLoss(), s.gLoss()));
                if (s.step() % checkpointEvery == 0) {
                    trainer.save(checkpoint);
                }
            }
        } catch (TrainingDivergedException e) {
            System.err.println("gan train: " + e.getMessage());
            return 1;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        trainer.save(checkpoint);
        long trained = trainer.step() - first;
        System.out.printf("%s: %d steps in %s (%.1f images/s), checkpoint %s%n", model, trained,
                Duration.ofSeconds(Math.round(seconds)).toString().substring(2).toLowerCase(),
                trained * batch / Math.max(seconds, 1e-9), checkpoint);

        try (MemoryScope scope = MemoryScope.open()) {
            int shown = classes > 0 ? classes * classes : GRID;
            Tensor gridLabels = classes > 0 ? labels(backend, shown, classes) : null;
            // the run's fixed noise (and, for a conditional model, one column per digit): the same z every time
            Tensor grid = trainer.sample(trainer.fixedNoise(shown), gridLabels);
            Path png = dir.resolve("samples.png");
            ImageGrid.writePng(grid.reshape(shown, 1, 28, 28), classes > 0 ? classes : 8, png);
            System.out.println("samples: " + png);

            Tensor labels = classes > 0 ? labels(backend, EVALUATION_SAMPLES, classes) : null;
            Tensor z = Tensor.randn(backend, new Generator(seed).fork(11), 0f, 1f, EVALUATION_SAMPLES, latentDim(m));
            Tensor images = trainer.sample(z, labels).reshape(EVALUATION_SAMPLES, 1, 28, 28);
            int[] requested = labels == null ? null : toInts(labels.toArray());
            try (DigitClassifier classifier = DigitClassifier.bundled()) {
                DigitQuality.Report q = DigitQuality.evaluate(classifier, images, requested);
                System.out.println("digit quality of " + EVALUATION_SAMPLES + " samples (EMA "
                        + (ema > 0 ? ema : "off") + "): " + q);
                // confidence cannot see a generator that draws one good digit per class over and over
                int[] groups = requested != null ? requested : classifier.classify(images);
                System.out.println("the same samples by " + (requested != null ? "requested" : "recognised")
                        + " digit: " + ClassDiversity.againstHeldOutDigits(images, groups));
            }
        }
        return 0;
    }

    private static int latentDim(GanModel<?> m) {
        return ((LatentArchitecture) m.architecture()).latentDim();
    }

    /** Labels 0, 1, ..., classes-1, 0, 1, ...: in a grid of {@code classes} columns, column j is digit j. */
    private static Tensor labels(Backend backend, int n, int classes) {
        float[] l = new float[n];
        for (int i = 0; i < n; i++) {
            l[i] = i % classes;
        }
        return Tensor.of(backend, l, n);
    }

    private static int[] toInts(float[] v) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (int) v[i];
        }
        return r;
    }
}
