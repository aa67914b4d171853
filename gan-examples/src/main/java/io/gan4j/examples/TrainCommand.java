package io.gan4j.examples;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.BackendUnavailableException;
import io.gan4j.core.backend.Device;
import io.gan4j.core.data.LabeledImages;
import io.gan4j.core.data.Mnist;
import io.gan4j.core.io.ImageGrid;
import io.gan4j.core.latent.LatentPrior;
import io.gan4j.core.loss.ModeSeekingRegularizer;
import io.gan4j.core.metrics.ClassDiversity;
import io.gan4j.core.metrics.DigitClassifier;
import io.gan4j.core.metrics.DigitQuality;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;
import io.gan4j.core.train.BatchSource;
import io.gan4j.core.train.BestCheckpoint;
import io.gan4j.core.train.GanTrainer;
import io.gan4j.core.train.ImageBatches;
import io.gan4j.core.train.StepStats;
import io.gan4j.core.train.TrainingDivergedException;
import io.gan4j.models.ConditionalGan;
import io.gan4j.models.FlattenedBatches;
import io.gan4j.models.GanModel;
import io.gan4j.models.LatentArchitecture;
import io.gan4j.models.Models;
import io.gan4j.models.TrainingRecipe;
import io.gan4j.models.VanillaGan;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.DoubleSummaryStatistics;
import java.util.Locale;
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
            "digit is the one generated, then the mean over --report-sets more sets of 1,000. Every",
            "--evaluate-every steps it scores the generator on other samples and keeps the best state in",
            "<out>/best.safetensors; at the end that one is measured too."})
final class TrainCommand implements Callable<Integer> {
    private static final int EVALUATION_SAMPLES = 1000;
    private static final long DEFAULT_STEPS = 2000;
    /** Noise streams of the final report and of the evaluations that choose the best checkpoint: never the same samples. */
    private static final int REPORT_NOISE = 11;
    private static final int SELECTION_NOISE = 12;
    /** First noise stream of the report's further sample sets (streams REPORT_SETS_NOISE, +1, ...). */
    private static final int REPORT_SETS_NOISE = 100;
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

    @Option(names = "--lr-d", description = "Adam learning rate of the discriminator alone (two time-scale updates, "
            + "Heusel et al. 2017); the generator keeps --lr. Default: as --lr.")
    Float lrD;

    @Option(names = "--ema", defaultValue = "0.999",
            description = "EMA decay of the generator's weights used for samples and evaluation, 0 for none. "
                    + "Default: ${DEFAULT-VALUE}.")
    float ema;

    @Option(names = "--mode-seeking", paramLabel = "LAMBDA", defaultValue = "0",
            description = "Weight of MSGAN's mode-seeking term in the generator's loss (Mao et al. 2019; 1 in the "
                    + "paper), against a conditional generator that ignores its noise. Default: ${DEFAULT-VALUE} (off).")
    float modeSeeking;

    @Option(names = "--latent-mixture", paramLabel = "K", defaultValue = "0",
            description = "Draw the noise from an equal mixture of K Gaussians instead of N(0, I) (see "
                    + "GaussianMixturePrior): the generator can then keep the digits apart instead of drawing blends "
                    + "between them. Default: ${DEFAULT-VALUE} (N(0, I), as in the papers).")
    int latentMixture;

    @Option(names = "--seed", defaultValue = "1", description = "The run's seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", description = "Run directory. Default: runs/<MODEL>.")
    Path out;

    @Option(names = "--checkpoint-every", defaultValue = "250",
            description = "Steps between checkpoints. Default: ${DEFAULT-VALUE}.")
    int checkpointEvery;

    @Option(names = "--evaluate-every", defaultValue = "500",
            description = "Steps between evaluations that keep the best checkpoint (1,000 samples each, not those of the "
                    + "final report), 0 for none. Default: ${DEFAULT-VALUE}.")
    int evaluateEvery;

    @Option(names = "--report-sets", defaultValue = "4",
            description = "More sets of 1,000 samples the final report scores the generator on, 0 for none: one set "
                    + "reads a generator's rate to about 1.3 points either way, so the mean says how much of the "
                    + "first figure is that set's luck. Default: ${DEFAULT-VALUE}.")
    int reportSets;

    @Option(names = "--resume", description = "Continue from <out>/checkpoint.safetensors when it exists.")
    boolean resume;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or auto. Default: ${DEFAULT-VALUE}.")
    String device;

    @Override
    public Integer call() throws Exception {
        long target = steps != null ? steps : minutes != null ? Long.MAX_VALUE : DEFAULT_STEPS;
        if (target < 1 || batch < 1 || checkpointEvery < 1 || evaluateEvery < 0 || reportSets < 0
                || latentMixture < 0 || (minutes != null && !(minutes > 0))
                || !(ema >= 0 && ema < 1) || (lr != null && !(lr > 0)) || (lrD != null && !(lrD > 0))) {
            System.err.println("gan train: expected --steps >= 1, --batch >= 1, --checkpoint-every >= 1, "
                    + "--evaluate-every >= 0, --report-sets >= 0, --latent-mixture >= 0, --minutes > 0, "
                    + "0 <= --ema < 1, --lr > 0, --lr-d > 0");
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
        GanModel<?> m = chosen.withRecipe(r -> {
            TrainingRecipe t = r.withEma(ema).withLatentComponents(latentMixture);
            if (lr != null) {
                t = t.withLr(lr);
            }
            return lrD == null ? t : t.withDiscriminatorOptimizer(t.discriminatorOptimizer().withLr(lrD));
        });
        int classes = m.architecture() instanceof ConditionalGan c ? c.classes() : 0;
        Path dir = out != null ? out : Path.of("runs", model);
        Path checkpoint = dir.resolve("checkpoint.safetensors");
        Path bestFile = dir.resolve("best.safetensors");

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
        BestCheckpoint best;
        if (resume && Files.exists(checkpoint)) {
            try {
                trainer.resume(checkpoint);
                best = BestCheckpoint.resume(bestFile, backend);
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("gan train: --resume: " + e.getMessage());
                return 2;
            }
            System.err.println("gan train: resumed " + checkpoint + " at step " + trainer.step());
        } else {
            // a fresh run: an earlier run's best would be compared with, and reported as, this one's
            if (Files.deleteIfExists(bestFile)) {
                System.err.println("gan train: removed " + bestFile + " of an earlier run");
            }
            best = BestCheckpoint.fresh(bestFile);
        }
        System.err.printf(Locale.ROOT, "gan train: %s on %d bundled MNIST digits, batch %d, lr G %s D %s, z ~ %s, %s, "
                + "seed %d -> %s%n", model, digits.size(), batch, m.recipe().generatorOptimizer().lr(),
                m.recipe().discriminatorOptimizer().lr(), trainer.latentPrior(), backend, seed, dir);

        long start = System.nanoTime();
        long deadline = minutes == null ? Long.MAX_VALUE : start + (long) (minutes * 60e9);
        long first = trainer.step();
        long evaluating = 0;
        int evaluations = 0;
        Scorer scorer = new Scorer(backend, classes, trainer.latentPrior(), seed);
        ProgressBarConsumer console = new ConsoleProgressBarConsumer(System.err);
        try (DigitClassifier classifier = DigitClassifier.bundled()) {
            // the bar stops, its line ended, before the figures are printed: left running, it redrew itself every
            // second of the report and ran into the report's lines
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName(model)
                    .setInitialMax(target == Long.MAX_VALUE ? -1 : target)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(console)
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
                    if (evaluateEvery > 0 && s.step() % evaluateEvery == 0) {
                        long t0 = System.nanoTime();
                        keepIfBest(trainer, best, scorer, classifier, console);
                        evaluating += System.nanoTime() - t0;
                        evaluations++;
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            trainer.save(checkpoint);
            long trained = trainer.step() - first;
            System.out.printf("%s: %d steps in %s (%.1f images/s%s), checkpoint %s%n", model, trained,
                    Duration.ofSeconds(Math.round(seconds)).toString().substring(2).toLowerCase(),
                    trained * batch / Math.max(seconds, 1e-9), evaluations == 0 ? "" : String.format(
                            ", of which %d evaluations took %.0f s", evaluations, evaluating / 1e9), checkpoint);
            // the last weights compete too, unless nothing was evaluated to compete with
            if (evaluateEvery > 0 && best.exists() && trainer.step() % evaluateEvery != 0) {
                keepIfBest(trainer, best, scorer, classifier, console);
            }

            report(trainer, "the last weights, step " + trainer.step(), dir.resolve("samples.png"), scorer, classifier);
            if (best.exists() && best.step() != trainer.step()) {
                trainer.resume(best.file());
                report(trainer, "the best checkpoint, step " + best.step() + ", " + best.file(),
                        dir.resolve("best-samples.png"), scorer, classifier);
            } else if (best.exists()) {
                System.out.println("the last weights are the best checkpoint (" + best.file() + ")");
            }
        } catch (TrainingDivergedException e) {
            System.err.println("gan train: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** Scores the generator on the selection samples and keeps its state when it is the best so far. */
    private static void keepIfBest(GanTrainer trainer, BestCheckpoint best, Scorer scorer, DigitClassifier classifier,
                                   ProgressBarConsumer console) throws IOException {
        DigitQuality.Report q;
        try (MemoryScope scope = MemoryScope.open()) {
            q = scorer.samples(trainer, SELECTION_NOISE).quality(classifier);
        }
        boolean kept = best.offer(trainer, scorer.score(q));
        clearLine(console);
        System.out.printf(Locale.ROOT, "step %d: %s, classes %d/%d%s%n", trainer.step(), scorer.figure(q),
                q.classesFound(), q.classes(), kept ? " - best so far, saved " + best.file()
                        : " (best: step " + best.step() + ")");
    }

    /**
     * Blanks the progress bar's line and returns to its start, so that a line printed now stands alone instead of
     * running on from the bar (which redraws itself on the next line). The bar is on stderr, the figures on stdout.
     */
    private static void clearLine(ProgressBarConsumer console) {
        console.clear();
        System.err.print('\r');
        System.err.flush();
    }

    /** The run's figures on the report samples (never used to choose), and its sample grid in {@code png}. */
    private void report(GanTrainer trainer, String which, Path png, Scorer scorer, DigitClassifier classifier)
            throws IOException {
        try (MemoryScope scope = MemoryScope.open()) {
            int k = scorer.classes();
            int shown = k > 0 ? k * k : GRID;
            Tensor gridLabels = k > 0 ? labels(scorer.backend(), shown, k) : null;
            // the run's fixed noise (and, for a conditional model, one column per digit): the same z every time
            Tensor grid = trainer.sample(trainer.fixedNoise(shown), gridLabels);
            ImageGrid.writePng(grid.reshape(shown, 1, 28, 28), k > 0 ? k : 8, png);
            System.out.println("samples of " + which + ": " + png);

            Scorer.Samples s = scorer.samples(trainer, REPORT_NOISE);
            DigitQuality.Report q = s.quality(classifier);
            System.out.println("digit quality of " + EVALUATION_SAMPLES + " samples of " + which + " (EMA "
                    + (ema > 0 ? ema : "off") + "): " + q);
            // confidence cannot see a generator that draws one good digit per class over and over
            int[] groups = s.requested() != null ? s.requested() : classifier.classify(s.images());
            System.out.println("the same samples by " + (s.requested() != null ? "requested" : "recognised")
                    + " digit: " + ClassDiversity.againstHeldOutDigits(s.images(), groups));
        }
        if (reportSets > 0) {
            DoubleSummaryStatistics sets = new DoubleSummaryStatistics();
            for (int i = 0; i < reportSets; i++) {
                try (MemoryScope scope = MemoryScope.open()) {
                    sets.accept(scorer.share(scorer.samples(trainer, REPORT_SETS_NOISE + i).quality(classifier)));
                }
            }
            System.out.printf(Locale.ROOT, "%s on %d more sets of %d samples: %s %.1f %% on average (sets "
                    + "%.1f-%.1f %%)%n", which, reportSets, EVALUATION_SAMPLES, scorer.name(), 100 * sets.getAverage(),
                    100 * sets.getMin(), 100 * sets.getMax());
        }
    }

    /** 1,000 samples of a noise stream of the run, and the digit quality by which checkpoints are compared. */
    private record Scorer(Backend backend, int classes, LatentPrior prior, long seed) {
        record Samples(Tensor images, int[] requested) {
            DigitQuality.Report quality(DigitClassifier classifier) {
                return DigitQuality.evaluate(classifier, images, requested);
            }
        }

        Samples samples(GanTrainer trainer, int stream) {
            Tensor labels = classes > 0 ? labels(backend, EVALUATION_SAMPLES, classes) : null;
            Tensor z = prior.sample(backend, new Generator(seed).fork(stream), EVALUATION_SAMPLES);
            Tensor images = trainer.sample(z, labels).reshape(EVALUATION_SAMPLES, 1, 28, 28);
            return new Samples(images, labels == null ? null : toInts(labels.toArray()));
        }

        /**
         * Classes found first, then the share of the bar (requested digit for a conditional model, confident
         * otherwise): a generator that misses a digit never beats one that draws them all.
         */
        double score(DigitQuality.Report q) {
            return q.classesFound() + share(q);
        }

        double share(DigitQuality.Report q) {
            return classes > 0 ? q.requestedShare() : q.confidentShare();
        }

        String figure(DigitQuality.Report q) {
            return String.format(Locale.ROOT, "%s %.1f %%", name(), 100 * share(q));
        }

        /** What {@link #share} measures. */
        String name() {
            return classes > 0 ? "requested digit" : "confident";
        }
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
