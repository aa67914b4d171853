package io.gan4j.core.io;

import io.gan4j.core.backend.Device;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random truncations and corruptions of a valid file: loading either succeeds or throws
 * {@link CheckpointException}; never another exception, a hang, or an allocation the size of a corrupt
 * length field.
 */
class SafeTensorsFuzzTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("try")   // the resource is the scope itself
    void corruptedFilesOnlyEverGiveCheckpointExceptions() throws Exception {
        Path good = dir.resolve("good.safetensors");
        Generator gen = new Generator(3);
        new Checkpoint()
                .put("g.fc.weight", Tensor.randn(gen, 4, 6))
                .put("g.fc.bias", Tensor.randn(gen, 4))
                .put("d.scale", Tensor.scalar(0.5f))
                .step(42).generator("noise", gen)
                .save(good);
        byte[] valid = Files.readAllBytes(good);
        int headerEnd = 8 + (int) ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Path f = dir.resolve("fuzz.safetensors");
        Random rnd = new Random(20240601);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int iter = 0; iter < 2000; iter++) {
                byte[] b = mutate(valid, headerEnd, rnd);
                Files.write(f, b);
                try (MemoryScope scope = MemoryScope.open()) {
                    Checkpoint.load(f, Device.cpu(), iter % 2 == 0 ? null : Map.of("g.fc.bias", new int[] {4}));
                    outcomes[0]++;
                } catch (CheckpointException expected) {
                    assertTrue(expected.getMessage().contains("fuzz.safetensors"), expected.getMessage());
                    outcomes[1]++;
                } catch (Throwable t) {
                    fail("iteration " + iter + ": " + t + " for bytes " + Arrays.toString(b), t);
                }
            }
        });
        assertTrue(outcomes[0] > 20 && outcomes[1] > 1000, "both outcomes exercised: " + Arrays.toString(outcomes));
    }

    private static byte[] mutate(byte[] valid, int headerEnd, Random rnd) {
        switch (rnd.nextInt(5)) {
            case 0:   // truncate anywhere
                return Arrays.copyOf(valid, rnd.nextInt(valid.length));
            case 1: { // flip bytes anywhere
                byte[] b = valid.clone();
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
                return b;
            }
            case 2: { // flip bytes of the JSON header, where the structure is
                byte[] b = valid.clone();
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    b[8 + rnd.nextInt(headerEnd - 8)] = (byte) "{}[]\",:0123456789-eE. x\u00ff".charAt(rnd.nextInt(24));
                }
                return b;
            }
            case 3: { // a corrupt header length, often huge
                byte[] b = valid.clone();
                long n = rnd.nextBoolean() ? rnd.nextLong() : rnd.nextInt(headerEnd + 16);
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
                return b;
            }
            default: { // garbage appended, or a valid prefix with random bytes
                byte[] b = Arrays.copyOf(valid, valid.length + rnd.nextInt(16));
                for (int i = valid.length; i < b.length; i++) {
                    b[i] = (byte) rnd.nextInt();
                }
                return b;
            }
        }
    }
}
