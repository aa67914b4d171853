package io.gan4j.core.data;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistTest {

    @Test
    void bundledSubsetHasTenThousandLabelledDigitsOfEveryClass() {
        LabeledImages m = Mnist.bundled();
        assertEquals(10_000, m.size());
        assertEquals(28, m.height());
        int[] perClass = new int[10];
        for (int i = 0; i < m.size(); i++) {
            perClass[m.label(i)]++;
        }
        assertEquals(1001, perClass[0]);
        assertEquals(1127, perClass[1]);
        // the interleaving puts every class in the first 100 digits
        boolean[] seen = new boolean[10];
        for (int i = 0; i < 100; i++) {
            seen[m.label(i)] = true;
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
        float[] px = m.images(io.gan4j.core.backend.Device.cpu(), new int[] {0, 1}).toArray();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : px) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(-1f, min);
        assertTrue(max > 0.9f && max <= 1f);
    }

    @Test
    void badFilesNameTheFileTheFieldAndTheExpectation() {
        ByteBuffer wrongMagic = ByteBuffer.allocate(16).putInt(0x00000901).putInt(1).putInt(28).putInt(28);
        IOException e = assertThrows(IOException.class,
                () -> IdxFile.read(new ByteArrayInputStream(wrongMagic.array()), "x.idx", 3));
        assertTrue(e.getMessage().contains("x.idx") && e.getMessage().contains("magic number")
                && e.getMessage().contains("0x00000803"), e.getMessage());

        ByteBuffer truncated = ByteBuffer.allocate(20).putInt(0x00000803).putInt(2).putInt(28).putInt(28);
        e = assertThrows(IOException.class, () -> IdxFile.read(new ByteArrayInputStream(truncated.array()), "t.idx", 3));
        assertTrue(e.getMessage().contains("t.idx") && e.getMessage().contains("1568 bytes"), e.getMessage());

        ByteBuffer wrongRank = ByteBuffer.allocate(8).putInt(0x00000801).putInt(1);
        e = assertThrows(IOException.class, () -> IdxFile.read(new ByteArrayInputStream(wrongRank.array()), "l.idx", 3));
        assertTrue(e.getMessage().contains("number of dimensions"), e.getMessage());
    }

    @Test
    void batchSamplerIsAPermutationPerEpochAndResumable() {
        BatchSampler a = new BatchSampler(10, 3, new io.gan4j.core.tensor.Generator(7));
        boolean[] seen = new boolean[10];
        for (int b = 0; b < 3; b++) {
            for (int i : a.next()) {
                assertTrue(!seen[i]);
                seen[i] = true;
            }
        }
        long epoch = a.epoch();
        int pos = a.position();
        int[] expected = a.next();
        BatchSampler b = new BatchSampler(10, 3, new io.gan4j.core.tensor.Generator(7));
        b.seek(epoch, pos);
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(b.next()));
    }
}
