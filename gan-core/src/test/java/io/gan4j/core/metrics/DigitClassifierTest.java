package io.gan4j.core.metrics;

import io.gan4j.core.backend.Device;
import io.gan4j.core.data.LabeledImages;
import io.gan4j.core.data.Mnist;
import io.gan4j.core.io.Checkpoint;
import io.gan4j.core.io.CheckpointException;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigitClassifierTest {
    private static LabeledImages mnist;
    private static DigitClassifier shipped;

    @BeforeAll
    static void load() {
        mnist = Mnist.bundled();
        shipped = DigitClassifier.bundled();
    }

    @AfterAll
    static void close() {
        shipped.close();
    }

    @Test
    void shippedClassifierRecognisesHeldOutRealDigits() {
        // the last 500 digits were never seen in training (it used [0, 9000))
        double acc = shipped.accuracy(mnist, mnist.size() - 500, mnist.size());
        assertTrue(acc >= 0.95, "held-out accuracy " + acc);
    }

    @Test
    void architectureAndParameterCount() {
        // conv1 1*32*9+32 = 320, conv2 32*64*9+64 = 18,496, conv3 64*64*9+64 = 36,928, fc 3136*10+10 = 31,370
        assertEquals(87_114, shipped.parameterCount());
        Map<String, int[]> shapes = DigitClassifier.expectedShapes();
        assertEquals(java.util.List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                "conv3.weight", "conv3.bias", "fc.weight", "fc.bias"), java.util.List.copyOf(shapes.keySet()));
        assertArrayEquals(new int[] {10, 3136}, shapes.get("fc.weight"));
    }

    @Test
    void probabilitiesAreRowsThatSumToOneAndDoNotDependOnTheBatch() {
        int[] idx = DigitClassifier.range(9000, 9300);   // more than one predict chunk of 250
        Tensor images = mnist.images(Device.current(), idx);
        float[] p = shipped.predict(images).toArray();
        assertEquals(300 * 10, p.length);
        for (int i = 0; i < 300; i++) {
            double s = 0;
            for (int k = 0; k < 10; k++) {
                assertTrue(p[i * 10 + k] >= 0);
                s += p[i * 10 + k];
            }
            assertEquals(1.0, s, 1e-4);
        }
        // the image at position 260 (second chunk) alone gives the same probabilities
        float[] alone = shipped.predict(mnist.images(Device.current(), new int[] {9260})).toArray();
        assertArrayEquals(Arrays.copyOfRange(p, 2600, 2610), alone, 1e-5f);
    }

    @Test
    void wrongShapesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> shipped.predict(Tensor.zeros(2, 784)));
        assertTrue(e.getMessage().contains("[N, 1, 28, 28]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> shipped.predict(Tensor.zeros(2, 3, 28, 28)));
    }

    @Test
    void saveAndLoadGiveTheSamePredictions(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("c.safetensors");
        shipped.save(file, Map.of("note", "test"));
        Tensor images = mnist.images(Device.current(), DigitClassifier.range(9900, 9920));
        try (DigitClassifier copy = DigitClassifier.load(file)) {
            assertArrayEquals(shipped.predict(images).toArray(), copy.predict(images).toArray());
        }
    }

    @Test
    void missingOrWrongWeightsAreClearErrors(@TempDir Path dir) throws IOException {
        assertThrows(IOException.class, () -> DigitClassifier.load(dir.resolve("absent.safetensors")));
        Path wrong = dir.resolve("wrong.safetensors");
        new Checkpoint(Map.of("conv1.weight", Tensor.zeros(16, 1, 3, 3)), Map.of()).save(wrong);
        CheckpointException e = assertThrows(CheckpointException.class, () -> DigitClassifier.load(wrong));
        assertTrue(e.getMessage().contains("conv1.weight"), e.getMessage());
    }

    @Test
    void trainingIsDeterministicFromTheSeed() {
        LabeledImages small = mnist.head(256);
        float[] a;
        float[] b;
        float[] c;
        try (DigitClassifier m = DigitClassifier.fit(small, 128, 1, new Generator(5), null)) {
            a = m.stateDict().get("fc.weight").toArray();
        }
        try (DigitClassifier m = DigitClassifier.fit(small, 128, 1, new Generator(5), null)) {
            b = m.stateDict().get("fc.weight").toArray();
        }
        try (DigitClassifier m = DigitClassifier.fit(small, 128, 1, new Generator(6), null)) {
            c = m.stateDict().get("fc.weight").toArray();
        }
        assertArrayEquals(a, b, "same seed, same weights");
        assertFalse(Arrays.equals(a, c), "another seed, other weights");
    }

    @Test
    void trainingLearnsAndReportsEveryEpoch() {
        // 5 epochs of 512 digits already beat chance (10 %) by far
        int[] seen = {0};
        double[] lastLoss = {Double.NaN};
        try (DigitClassifier m = DigitClassifier.fit(mnist.head(512), 512, 3, new Generator(7), (e, model) -> {
            seen[0]++;
            assertEquals(3, e.epochs());
            lastLoss[0] = e.meanLoss();
        })) {
            assertEquals(3, seen[0]);
            assertTrue(lastLoss[0] < 1.5, "loss after 3 epochs " + lastLoss[0]);
            assertTrue(m.accuracy(mnist, 9000, 9200) > 0.5, "accuracy " + m.accuracy(mnist, 9000, 9200));
        }
        assertThrows(IllegalArgumentException.class, () -> DigitClassifier.fit(mnist, 10, 1, new Generator(1), null));
    }

    @Test
    void weightsResourceExistsAndIsSmall() throws Exception {
        Path res = Path.of(DigitClassifier.class.getResource(DigitClassifier.RESOURCE).toURI());
        assertTrue(Files.size(res) < 1_000_000, "weights file " + Files.size(res) + " bytes");
    }
}
