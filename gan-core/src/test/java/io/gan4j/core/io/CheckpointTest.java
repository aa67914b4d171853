package io.gan4j.core.io;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    private static final Backend CPU = Device.cpu();

    @TempDir
    Path dir;

    private static Checkpoint sample() {
        Generator gen = new Generator(11);
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                Float.MAX_VALUE, -1.17549435E-38f, 1f / 3};
        Checkpoint c = new Checkpoint();
        // deliberately not in alphabetical order: the file keeps the caller's order
        c.put("generator.fc.weight", Tensor.randn(gen, 7, 5));
        c.put("discriminator.conv1.weight", Tensor.randn(gen, 4, 1, 3, 3));
        c.put("special", Tensor.of(special, 3, 3));
        c.put("scalar", Tensor.scalar(2.5f));
        c.put("bn.running_var", Tensor.rand(gen, 3));
        c.step(1234).generator("generator", gen).metadata("note", "naïve ünïcödé ✓");
        return c;
    }

    private static int[] bits(Tensor t) {
        float[] f = t.toArray();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    @Test
    void roundTripIsBitIdenticalAndKeepsOrderAndMetadata() throws Exception {
        Checkpoint c = sample();
        Path file = dir.resolve("ckpt.safetensors");
        c.save(file);
        Checkpoint back = Checkpoint.load(file, CPU);
        assertEquals(List.copyOf(c.tensors().keySet()), List.copyOf(back.tensors().keySet()));
        for (String name : c.tensors().keySet()) {
            assertArrayEquals(c.tensor(name).shape(), back.tensor(name).shape(), name);
            assertArrayEquals(bits(c.tensor(name)), bits(back.tensor(name)), name);
        }
        assertEquals(c.metadata(), back.metadata());
        assertEquals(1234, back.step());

        // the layout of the reference writer: header length, JSON padded with spaces to 8, then the data
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"step\":\"1234\""), header);
        assertTrue(header.contains("\"generator.fc.weight\":{\"dtype\":\"F32\",\"shape\":[7,5],\"data_offsets\":[0,140]}"),
                header);
        assertEquals(8 + n + 4L * (35 + 36 + 9 + 1 + 3), bytes.length);
        float first = ByteBuffer.wrap(bytes, (int) (8 + n), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals(c.tensor("generator.fc.weight").toArray()[0], first);
    }

    @Test
    void generatorStateContinuesTheSameStream() throws Exception {
        Generator gen = new Generator(99);
        Tensor.randn(gen, 17);   // advance it
        Path file = dir.resolve("rng.safetensors");
        new Checkpoint().generator("data", gen).save(file);
        Generator restored = Checkpoint.load(file, CPU).generator("data");
        assertEquals(gen.seed(), restored.seed());
        assertEquals(gen.offset(), restored.offset());
        assertArrayEquals(Tensor.randn(gen, 8).toArray(), Tensor.randn(restored, 8).toArray());
    }

    /** A file written by the reference implementation (see make_reference.py): F32, F64, F16, BF16, 0-d. */
    @Test
    void readsFilesOfTheReferenceImplementationConvertingToFloat32() throws Exception {
        Path file = dir.resolve("reference.safetensors");
        try (InputStream in = getClass().getResourceAsStream("reference.safetensors")) {
            Files.copy(in, file);
        }
        Checkpoint c = Checkpoint.load(file, CPU, Map.of("conv.weight", new int[] {2, 3}));
        assertEquals(List.of("f64", "conv.weight", "scalar", "bf16", "f16"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}, c.tensor("conv.weight").toArray());
        assertArrayEquals(new float[] {1.5f, -2.25f, 1e-3f}, c.tensor("f64").toArray());
        float[] f16 = c.tensor("f16").toArray();
        assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY}, java.util.Arrays.copyOf(f16, 5));
        assertTrue(Float.isNaN(f16[5]));
        assertArrayEquals(new float[] {1f, -3.5f}, c.tensor("bf16").toArray());
        assertEquals(0, c.tensor("scalar").dim());
        assertEquals(3.25f, c.tensor("scalar").item());
        assertEquals(Map.of("step", "7", "format", "pt"), c.metadata());
        assertEquals(7, c.step());
    }

    @Test
    void halfPrecisionConversionIsExactForEveryValue() {
        for (int h = 0; h < 0x10000; h++) {
            float f = DType.halfToFloat((short) h);
            int exp = (h >>> 10) & 0x1f;
            int mant = h & 0x3ff;
            double expected = exp == 0 ? mant * Math.pow(2, -24)
                    : exp == 31 ? (mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                    : (1 + mant / 1024.0) * Math.pow(2, exp - 15);
            if ((h & 0x8000) != 0) {
                expected = -expected;
            }
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(f), Integer.toHexString(h));
            } else {
                assertEquals(expected, f, 0, Integer.toHexString(h));
                assertEquals((h & 0x8000) != 0, (Float.floatToRawIntBits(f) & 0x80000000) != 0, "sign of " + h);
            }
        }
    }

    /** A backend that fails when a tensor is copied to the host, as a lost GPU would. */
    private static Backend failingDownloads() {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("download")) {
                        throw new IllegalStateException("simulated device failure");
                    }
                    try {
                        return method.invoke(CPU, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aFailureMidWriteLeavesThePreviousFileIntactAndNoTemporaryFile() throws Exception {
        Path file = dir.resolve("ckpt.safetensors");
        sample().save(file);
        byte[] before = Files.readAllBytes(file);

        Checkpoint broken = new Checkpoint();
        broken.put("first", Tensor.randn(new Generator(1), 300_000));   // written before the failure
        broken.put("lost", Tensor.wrap(failingDownloads(), CPU.upload(new float[12], 0, 12), 3, 4));
        CheckpointException e = assertThrows(CheckpointException.class, () -> broken.save(file));
        assertTrue(e.getMessage().contains("ckpt.safetensors") && e.getMessage().contains("'lost'"), e.getMessage());
        assertEquals("lost", e.tensor());

        assertArrayEquals(before, Files.readAllBytes(file), "the previous checkpoint is intact");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
        // a freed tensor is refused before anything is written
        Tensor freed = Tensor.zeros(2);
        freed.close();
        e = assertThrows(CheckpointException.class, () -> new Checkpoint().put("gone", freed).save(file));
        assertTrue(e.getMessage().contains("'gone'") && e.getMessage().contains("expected a live tensor"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    // ---------------------------------------------------------------- bad files

    /** A file with this header (padded as the reference does) and data. */
    private Path file(String name, String header, int dataBytes) throws Exception {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            b.put((byte) ' ');
        }
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    private static CheckpointException fails(Path f, Map<String, int[]> expected, String... parts) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(f, CPU, expected));
        assertTrue(e.getMessage().contains(f.getFileName().toString()), "names the file: " + e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "contains '" + p + "': " + e.getMessage());
        }
        return e;
    }

    private static final String A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}";

    @Test
    void missingTensorOrWrongShapeNamesTheTensorAndTheExpectation() throws Exception {
        Path f = file("model.safetensors", "{" + A + "}", 16);
        Map<String, int[]> expected = new LinkedHashMap<>();
        expected.put("a", new int[] {2, 2});
        expected.put("generator.fc.bias", new int[] {128});
        fails(f, expected, "'generator.fc.bias'", "missing", "expected a tensor of shape [128]", "a");
        fails(f, Map.of("a", new int[] {4}), "'a'", "has shape [2, 2]", "expected [4]");
        assertEquals(1, Checkpoint.load(f, CPU, Map.of("a", new int[] {2, 2})).tensors().size());
    }

    @Test
    void truncatedFiles() throws Exception {
        Path good = dir.resolve("good.safetensors");
        sample().save(good);
        byte[] bytes = Files.readAllBytes(good);
        Path f = dir.resolve("cut.safetensors");
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        fails(f, null, "'bn.running_var'", "reach past the data section", "expected end <=", "truncated");
        Files.write(f, java.util.Arrays.copyOf(bytes, 100));
        fails(f, null, "truncated", "expected at least");
        Files.write(f, java.util.Arrays.copyOf(bytes, 5));
        fails(f, null, "truncated", "expected at least the 8-byte header length");
        Files.write(f, new byte[0]);
        fails(f, null, "truncated");
    }

    @Test
    void offsetsOutOfRangeOrOverlappingOrLeavingHoles() throws Exception {
        String b = "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,32]}";
        fails(file("range.safetensors", "{" + A + "," + b + "}", 16), null,
                "'b'", "reach past the data section of 16 bytes", "expected end <= 16");
        String overlap = "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}";
        fails(file("overlap.safetensors", "{" + A + "," + overlap + "}", 24), null,
                "'b'", "overlap tensor 'a'", "expected each tensor's bytes to be its own");
        String hole = "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[20,36]}";
        fails(file("hole.safetensors", "{" + A + "," + hole + "}", 36), null, "'b'", "unused", "expected");
        String size = "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,20]}";
        fails(file("size.safetensors", "{" + A + "," + size + "}", 20), null,
                "'b'", "span 4 bytes", "expected 16 for F32 [4]");
        fails(file("extra.safetensors", "{" + A + "}", 20), null, "'a'", "cover 16", "expected them to cover it exactly");
        String negative = "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[20,16]}";
        fails(file("neg.safetensors", "{" + A + "," + negative + "}", 20), null, "'b'", "expected 0 <= begin <= end");
    }

    @Test
    void headerThatIsNotJsonOrNotSafetensors() throws Exception {
        fails(file("text.safetensors", "{\"a\": {\"dtype\": \"F32\", ", 0), null, "not valid JSON", "expected a JSON object");
        fails(file("array.safetensors", "[1, 2]", 0), null, "header is a JSON array", "expected a JSON object");
        fails(file("dup.safetensors", "{" + A + "," + A + "}", 16), null, "not valid JSON", "Duplicate field 'a'");
        fails(file("trailing.safetensors", "{" + A + "} x", 16), null, "not valid JSON");
        fails(file("entry.safetensors", "{\"a\": 3}", 0), null, "'a'", "expected an object with dtype");
        fails(file("shape.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,-2],\"data_offsets\":[0,16]}}", 16), null,
                "'a'", "expected sizes that are integers >= 0");
        fails(file("meta.safetensors", "{\"__metadata__\":{\"step\":7}," + A + "}", 16), null,
                "'step'", "expected a string");
        // a header length far beyond the file (or any sane header) is refused before allocating it
        byte[] huge = new byte[64];
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(-2L);
        Path f = dir.resolve("huge.safetensors");
        Files.write(f, huge);
        fails(f, null, "declares a header of 18446744073709551614 bytes", "expected at most 100000000");
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(50_000_000L);
        Files.write(f, huge);
        fails(f, null, "truncated", "expected at least 50000008 bytes");
        fails(dir.resolve("absent.safetensors"), null, "no such file");
    }

    @Test
    void unsupportedDtype() throws Exception {
        String i64 = "{\"step\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
        fails(file("int.safetensors", i64, 8), null, "'step'", "unsupported dtype 'I64'", "expected one of [F32, F64, F16, BF16]");
        String zero = "{\"empty\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]}}";
        fails(file("zero.safetensors", zero, 0), null, "'empty'", "no elements");
    }

    @Test
    void checkpointApiRefusesAmbiguity() {
        Checkpoint c = new Checkpoint().put("w", Tensor.zeros(1));
        assertThrows(IllegalArgumentException.class, () -> c.put("w", Tensor.zeros(1)));
        assertThrows(IllegalArgumentException.class, () -> c.put("__metadata__", Tensor.zeros(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.generator("noise"));
        assertTrue(e.getMessage().contains("noise.seed"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.tensor("v"));
        assertTrue(e.getMessage().contains("[w]"), e.getMessage());
        c.putAll("g.", Map.of("b", Tensor.ones(2)));
        assertEquals(List.of("b"), List.copyOf(c.tensorsWithPrefix("g.").keySet()));
    }
}
