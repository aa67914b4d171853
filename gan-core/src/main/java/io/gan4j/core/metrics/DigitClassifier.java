package io.gan4j.core.metrics;

import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.data.BatchSampler;
import io.gan4j.core.data.LabeledImages;
import io.gan4j.core.io.Checkpoint;
import io.gan4j.core.io.CheckpointException;
import io.gan4j.core.loss.CrossEntropy;
import io.gan4j.core.nn.Conv2d;
import io.gan4j.core.nn.Linear;
import io.gan4j.core.nn.Module;
import io.gan4j.core.ops.LogSoftmax;
import io.gan4j.core.optim.Adam;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A small MNIST classifier that judges generated digits ({@link DigitQuality}): three 3x3 convolutions
 * (the last two with stride 2 instead of pooling) and one linear layer to 10 logits, about 87,000
 * weights, trained by GAN4J's own code on the bundled MNIST subset.
 *
 * <pre>
 * conv1  Conv(1 -> 32, k3, s1, p1)  ReLU   28x28
 * conv2  Conv(32 -> 64, k3, s2, p1) ReLU   14x14
 * conv3  Conv(64 -> 64, k3, s2, p1) ReLU    7x7
 * fc     Linear(64*7*7 -> 10)               logits
 * </pre>
 *
 * <p>It has no batch norm or dropout, so it behaves the same in training and evaluation mode and a
 * prediction never depends on the other images of a batch.
 *
 * <p>The shipped weights ({@link #bundled()}, resource {@value #RESOURCE}) are rebuilt, bit for bit on
 * the CPU backend, by training on the first {@value #TRAIN_DIGITS} digits of the bundled subset and
 * testing on the last 1,000, with the command of {@link TrainDigitClassifier} (from the repository root):
 *
 * <pre>
 * ./mvnw -B -q -pl gan-core compile exec:exec -Dexec.executable=java -Dexec.args="--add-modules=jdk.incubator.vector \
 *     -cp %classpath io.gan4j.core.metrics.TrainDigitClassifier src/main/resources/io/gan4j/core/metrics/digit-classifier.safetensors 8 1"
 * </pre>
 */
public final class DigitClassifier extends Module {
    public static final int CLASSES = 10;
    public static final int SIZE = 28;
    /** The first 9,000 digits of {@code Mnist.bundled()} train the classifier; the rest are the test split. */
    public static final int TRAIN_DIGITS = 9000;
    /** Where the shipped weights live on the classpath. */
    public static final String RESOURCE = "/io/gan4j/core/metrics/digit-classifier.safetensors";

    static final int BATCH = 64;
    static final float LR = 1e-3f;
    /** Images per forward pass in {@link #predict}: bounds memory for any number of images. */
    private static final int PREDICT_CHUNK = 250;

    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Conv2d conv3;
    private final Linear fc;

    /** An untrained classifier with PyTorch's default initialisation drawn from {@code gen}. */
    public DigitClassifier(Generator gen) {
        conv1 = registerModule("conv1", new Conv2d(1, 32, 3, 1, 1, gen));
        conv2 = registerModule("conv2", new Conv2d(32, 64, 3, 2, 1, gen));
        conv3 = registerModule("conv3", new Conv2d(64, 64, 3, 2, 1, gen));
        fc = registerModule("fc", new Linear(64 * 7 * 7, CLASSES, gen));
    }

    /** Logits {@code [N, 10]} for images {@code [N, 1, 28, 28]} with pixels in [-1, 1]. */
    @Override
    public Tensor forward(Tensor images) {
        checkImages(images);
        Tensor h = conv1.forward(images).relu();
        h = conv2.forward(h).relu();
        h = conv3.forward(h).relu();
        return fc.forward(h.reshape(h.size(0), -1));
    }

    /**
     * Class probabilities {@code [N, 10]} (rows sum to 1) for images {@code [N, 1, 28, 28]} with pixels in
     * [-1, 1], the range of the bundled data and of a tanh generator. No gradients are recorded; the
     * result belongs to the caller's scope.
     */
    public Tensor predict(Tensor images) {
        checkImages(images);
        int n = images.size(0);
        float[] probs = new float[n * CLASSES];
        for (int from = 0; from < n; from += PREDICT_CHUNK) {
            int to = Math.min(n, from + PREDICT_CHUNK);
            try (MemoryScope chunk = MemoryScope.open(); GradMode off = GradMode.disable()) {
                Tensor p = LogSoftmax.softmax(forward(images.sliceView(from, to)), 1);
                System.arraycopy(p.toArray(), 0, probs, from * CLASSES, (to - from) * CLASSES);
            }
        }
        return Tensor.of(images.backend(), probs, n, CLASSES);
    }

    /** The most probable class of each image {@code [N, 1, 28, 28]}; -1 for an image with NaN pixels. */
    public int[] classify(Tensor images) {
        try (MemoryScope scope = MemoryScope.open()) {
            return DigitQuality.argmax(predict(images).toArray(), CLASSES);
        }
    }

    /** Share of {@code data}'s digits {@code [from, to)} whose most probable class is their label. */
    public double accuracy(LabeledImages data, int from, int to) {
        if (!data.hasLabels() || from < 0 || to > data.size() || from >= to) {
            throw new IllegalArgumentException("accuracy: need labelled digits and 0 <= from < to <= " + data.size()
                    + ", got [" + from + ", " + to + ")" + (data.hasLabels() ? "" : " of unlabelled data"));
        }
        int[] idx = range(from, to);
        int[] predicted;
        try (MemoryScope scope = MemoryScope.open()) {
            predicted = classify(data.images(Device.current(), idx));
        }
        int correct = 0;
        for (int i = 0; i < idx.length; i++) {
            if (predicted[i] == data.label(idx[i])) {
                correct++;
            }
        }
        return (double) correct / idx.length;
    }

    private static void checkImages(Tensor images) {
        int[] s = images.shape();
        if (s.length != 4 || s[1] != 1 || s[2] != SIZE || s[3] != SIZE) {
            throw new IllegalArgumentException("DigitClassifier: expected images of shape [N, 1, 28, 28], got "
                    + Shape.str(s));
        }
    }

    // ---------------------------------------------------------------- weights

    /** The names and shapes of the weights, what a weights file must contain. */
    public static Map<String, int[]> expectedShapes() {
        Map<String, int[]> out = new LinkedHashMap<>();
        try (DigitClassifier shapeOnly = new DigitClassifier(new Generator(0))) {
            shapeOnly.stateDict().forEach((name, t) -> out.put(name, t.shape()));
        }
        return out;
    }

    /** The classifier with the weights shipped in gan-core, on {@link Device#current()}. */
    public static DigitClassifier bundled() {
        // Checkpoint reads files, and a resource may sit inside a jar: go through a temporary copy
        try (InputStream in = DigitClassifier.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled digit classifier weights " + RESOURCE
                        + " missing from the classpath (rebuild them with io.gan4j.core.metrics.TrainDigitClassifier)");
            }
            Path tmp = Files.createTempFile("gan4j-digit-classifier", ".safetensors");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return load(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bundled digit classifier weights unreadable (damaged jar?): "
                    + e.getMessage(), e);
        }
    }

    /**
     * A classifier with the weights of {@code file} (as written by {@link #save}), on
     * {@link Device#current()}. A missing tensor or one of another shape is a {@link CheckpointException}
     * naming it.
     */
    public static DigitClassifier load(Path file) throws IOException {
        Backend backend = Device.current();
        DigitClassifier c = new DigitClassifier(new Generator(0));
        try (MemoryScope scope = MemoryScope.open()) {
            Checkpoint ckpt = Checkpoint.load(file, backend, expectedShapes());
            c.loadStateDict(ckpt.tensors());
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        c.eval();
        return c;
    }

    /** Writes the weights (PyTorch names: conv1.weight, ..., fc.bias) and {@code metadata} atomically. */
    public void save(Path file, Map<String, String> metadata) throws IOException {
        new Checkpoint(stateDict(), metadata).save(file);
    }

    // ---------------------------------------------------------------- training

    /** What one epoch of {@link #train} measured on its training batches. */
    public record Epoch(int epoch, int epochs, double meanLoss, double trainAccuracy, double seconds) {
    }

    /**
     * Trains a new classifier (named {@code fit}, not {@code train}, which switches a {@link Module}'s
     * training mode) on {@code data}'s digits {@code [0, trainCount)} for {@code epochs} passes
     * (Adam 1e-3, batch 64, learning rate halved for the last third), on {@link Device#current()}.
     * Deterministic on the CPU backend: {@code gen}'s seed fixes the initial weights and the batch order.
     * {@code progress} (may be null) hears about every epoch, with the model as it stands (to test it).
     */
    public static DigitClassifier fit(LabeledImages data, int trainCount, int epochs, Generator gen,
                                        BiConsumer<Epoch, DigitClassifier> progress) {
        if (!data.hasLabels() || data.channels() != 1 || data.height() != SIZE || data.width() != SIZE) {
            throw new IllegalArgumentException("DigitClassifier.fit: expected labelled 1x28x28 digits, got "
                    + data.channels() + "x" + data.height() + "x" + data.width()
                    + (data.hasLabels() ? "" : " without labels"));
        }
        if (trainCount < BATCH || trainCount > data.size() || epochs < 1) {
            throw new IllegalArgumentException("DigitClassifier.fit: need " + BATCH + " <= trainCount <= "
                    + data.size() + " and epochs >= 1, got trainCount=" + trainCount + " epochs=" + epochs);
        }
        Backend backend = Device.current();
        DigitClassifier model = new DigitClassifier(gen.fork(0));
        BatchSampler sampler = new BatchSampler(trainCount, BATCH, gen.fork(1));
        int stepsPerEpoch = trainCount / BATCH;
        try (Adam adam = new Adam(model.namedParameters(), Adam.Config.defaults().withLr(LR))) {
            for (int e = 1; e <= epochs; e++) {
                // a lower rate for the last third settles the weights (worth about half a point of accuracy)
                adam.setLr(e > epochs - epochs / 3 ? LR / 2 : LR);
                long start = System.nanoTime();
                double lossSum = 0;
                int correct = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    int[] idx = sampler.next();
                    try (MemoryScope step = MemoryScope.open()) {
                        adam.zeroGrad();
                        Tensor logits = model.forward(data.images(backend, idx));
                        Tensor labels = data.labels(backend, idx);
                        Tensor loss = CrossEntropy.loss(logits, labels);
                        loss.backward();
                        adam.step();
                        lossSum += loss.item();
                        int[] predicted = DigitQuality.argmax(logits.toArray(), CLASSES);
                        for (int i = 0; i < idx.length; i++) {
                            if (predicted[i] == data.label(idx[i])) {
                                correct++;
                            }
                        }
                    }
                }
                adam.zeroGrad();
                if (progress != null) {
                    progress.accept(new Epoch(e, epochs, lossSum / stepsPerEpoch,
                            (double) correct / (stepsPerEpoch * BATCH), (System.nanoTime() - start) / 1e9), model);
                }
            }
        } catch (RuntimeException ex) {
            model.close();
            throw ex;
        }
        return model;
    }

    static int[] range(int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return idx;
    }
}
