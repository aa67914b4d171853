package io.gan4j.core.train;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.io.CheckpointException;
import io.gan4j.core.loss.GanLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BestCheckpointTest {
    private static final Backend CPU = Device.cpu();

    private static GanTrainer trainer() {
        return GanTrainerTest.trainer(5, GanLoss.named("non-saturating"), false, null, null);
    }

    private static Map<String, float[]> weights(GanTrainer t) {
        Map<String, float[]> w = new TreeMap<>();
        t.generator().stateDict().forEach((k, v) -> w.put(k, v.toArray()));
        return w;
    }

    @Test
    void keepsTheStateOfTheBestScoreOnlyAndAResumedRunComparesWithIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("best.safetensors");
        GanTrainer t = trainer();
        BestCheckpoint best = BestCheckpoint.fresh(file);
        assertFalse(best.exists());

        t.train(2);
        assertTrue(best.offer(t, 0.5));
        Map<String, float[]> atStep2 = weights(t);
        t.train(2);
        assertFalse(best.offer(t, 0.4), "a worse score must not replace the best");
        assertFalse(best.offer(t, 0.5), "a tie keeps the earlier checkpoint");
        assertEquals(2, best.step());

        GanTrainer reloaded = trainer();
        reloaded.resume(file);
        assertEquals(2, reloaded.step());
        Map<String, float[]> back = weights(reloaded);
        atStep2.forEach((k, v) -> assertArrayEquals(v, back.get(k), "generator weight " + k + " of the best step"));

        t.train(2);
        assertTrue(best.offer(t, 0.7));
        assertEquals(6, best.step());

        BestCheckpoint resumed = BestCheckpoint.resume(file, CPU);
        assertTrue(resumed.exists());
        assertEquals(0.7, resumed.score());
        assertEquals(6, resumed.step());
        assertFalse(resumed.offer(t, 0.6), "a resumed run must compare with the earlier runs' best");
    }

    @Test
    void resumingWithoutAFileStartsFreshAndBadFilesAreNamed(@TempDir Path dir) throws Exception {
        BestCheckpoint none = BestCheckpoint.resume(dir.resolve("absent.safetensors"), CPU);
        assertFalse(none.exists());
        assertEquals(Double.NEGATIVE_INFINITY, none.score());

        GanTrainer t = trainer();
        Path plain = dir.resolve("checkpoint.safetensors");
        t.save(plain);
        CheckpointException e = assertThrows(CheckpointException.class, () -> BestCheckpoint.resume(plain, CPU));
        assertTrue(e.getMessage().contains(plain.toString()) && e.getMessage().contains(BestCheckpoint.SCORE),
                e.getMessage());

        Path garbled = dir.resolve("garbled.safetensors");
        t.save(garbled, Map.of(BestCheckpoint.SCORE, "high"));
        e = assertThrows(CheckpointException.class, () -> BestCheckpoint.resume(garbled, CPU));
        assertTrue(e.getMessage().contains("'high'"), e.getMessage());

        BestCheckpoint best = BestCheckpoint.fresh(dir.resolve("best.safetensors"));
        assertThrows(IllegalArgumentException.class, () -> best.offer(t, Double.NaN));
        assertFalse(Files.exists(best.file()), "a refused score writes nothing");
    }
}
