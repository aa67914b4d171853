package io.gan4j.core.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Buffer;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header
 * length N, N bytes of JSON ({@code {"name": {"dtype", "shape", "data_offsets": [begin, end]}, ...,
 * "__metadata__": {string: string}}}, padded with spaces to a multiple of 8), then the raw little-endian
 * data, offsets counted from the end of the header.
 *
 * <p>Reading checks the whole header against the file before allocating any tensor, with the reference
 * implementation's rules (bounded header, no overlaps or holes in the data); F64, F16 and BF16 tensors
 * (PyTorch exports) are converted to float32. Writing is F32, in the given order, atomic: a crash leaves the
 * previous file intact.
 */
public final class SafeTensors {
    /** The reference implementation's limit on the header: a corrupt length must not allocate gigabytes. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK_BYTES = 1 << 20;
    private static final int LISTED_NAMES = 8;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SafeTensors() {
    }

    /** One tensor's header entry. */
    record Entry(String name, DType dtype, int[] shape, long begin, long end) {
    }

    /** What a file holds: tensors in header order, and the metadata. */
    record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    // ================================================================ writing

    /**
     * Writes {@code tensors} (F32, in map order) and {@code metadata} to {@code file}: to a temporary file
     * in the same directory, forced to disk, then atomically renamed over {@code file}.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Path target = file.toAbsolutePath();
        byte[] header = header(target, tensors, metadata);
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        boolean renamed = false;
        String current = null;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
                writeFully(ch, len);
                writeFully(ch, ByteBuffer.wrap(header));
                long largest = tensors.values().stream().mapToLong(Tensor::numel).max().orElse(0);
                int chunkFloats = (int) Math.min(largest, CHUNK_BYTES / 4);
                ByteBuffer bytes = ByteBuffer.allocate(chunkFloats * 4).order(ByteOrder.LITTLE_ENDIAN);
                float[] chunk = new float[chunkFloats];
                for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                    current = e.getKey();
                    writeData(ch, e.getValue(), chunk, bytes);
                }
                current = null;
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new CheckpointException(target, null, "the file system cannot rename atomically in " + dir
                        + " (expected a local file system, so that a crash cannot destroy the previous checkpoint)", e);
            }
            renamed = true;
            forceDirectory(dir);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // a full disk, or a device error while copying a tensor to the host
            throw new CheckpointException(target, current, "could not write the checkpoint (the previous file, if "
                    + "any, is unchanged): " + e, e);
        } finally {
            if (!renamed) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the error being thrown says more than this one would
                }
            }
        }
    }

    private static byte[] header(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws CheckpointException {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new CheckpointException(file, null, "metadata entry " + e.getKey() + " = " + e.getValue()
                            + " (expected non-null strings)");
                }
                meta.put(e.getKey(), e.getValue());
            }
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new CheckpointException(file, name, "invalid tensor name (expected a non-empty name other than "
                        + METADATA_KEY + ")");
            }
            if (t == null || t.isClosed()) {
                throw new CheckpointException(file, name, (t == null ? "is null" : "was freed")
                        + " (expected a live tensor to save)");
            }
            ObjectNode entry = root.putObject(name);
            entry.put("dtype", "F32");
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            long end = offset + t.numel() * 4;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new CheckpointException(file, null, "could not encode the header: " + e.getMessage(), e);
        }
        // pad with spaces to a multiple of 8, as the reference writer does, so the data starts aligned
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    private static void writeData(FileChannel ch, Tensor t, float[] chunk, ByteBuffer bytes) throws IOException {
        Backend be = t.backend();
        Buffer buf = t.buffer();
        long n = t.numel();
        // through views, a chunk at a time: no host copy of the whole tensor
        for (long off = 0; off < n; off += chunk.length) {
            int len = (int) Math.min(chunk.length, n - off);
            be.download(buf.view(off, len), chunk, 0);
            bytes.clear();
            bytes.asFloatBuffer().put(chunk, 0, len);
            bytes.limit(len * 4);
            writeFully(ch, bytes);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Makes the rename itself durable; not every platform can open a directory, which is fine. */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // e.g. Windows: directories cannot be opened; NTFS journals the rename itself
        }
    }

    // ================================================================ reading

    /**
     * Reads every tensor of {@code file} onto {@code backend}. With {@code expectedShapes} (may be null or
     * empty) each of those tensors must be present with exactly that shape; others may also be present.
     * Either everything is read or nothing is: on an error the tensors read so far are freed.
     */
    static Contents read(Path file, Backend backend, Map<String, int[]> expectedShapes) throws IOException {
        FileChannel opened;
        try {
            opened = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, null, "no such file (expected a safetensors checkpoint)", e);
        } catch (IOException e) {
            throw new CheckpointException(file, null, "cannot be opened: " + e, e);
        }
        try (FileChannel ch = opened) {
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointException(file, null, "file of " + size
                        + " bytes is truncated (expected at least the 8-byte header length of a safetensors file)");
            }
            ByteBuffer lb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lb, 0, file, null);
            long n = lb.getLong(0);
            if (n < 0 || n > MAX_HEADER_BYTES) {   // negative: above 2^63 as the unsigned number it is
                throw new CheckpointException(file, null, "declares a header of " + Long.toUnsignedString(n)
                        + " bytes (expected at most " + MAX_HEADER_BYTES + "; not a safetensors file, or corrupt)");
            }
            if (8 + n > size) {
                throw new CheckpointException(file, null, "file of " + size + " bytes is truncated (expected at least "
                        + (8 + n) + " bytes for its declared header of " + n + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8, file, null);
            long dataStart = 8 + n;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = parseHeader(file, hb.array(), size - dataStart, metadata);
            checkExpected(file, entries, expectedShapes);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            boolean ok = false;
            try {
                for (Entry e : entries) {
                    tensors.put(e.name(), readTensor(ch, file, dataStart, e, backend));
                }
                ok = true;
            } finally {
                if (!ok) {
                    tensors.values().forEach(Tensor::close);
                }
            }
            return new Contents(tensors, metadata);
        }
    }

    /** The header's entries in header order, every one checked against a data section of {@code dataSize} bytes. */
    static List<Entry> parseHeader(Path file, byte[] header, long dataSize, Map<String, String> metadataOut)
            throws CheckpointException {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file, null, "header is not valid JSON (expected a JSON object of tensor "
                    + "entries): " + firstLine(e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(file, null, "header is " + (root == null || root.isMissingNode() ? "empty"
                    : "a JSON " + root.getNodeType().name().toLowerCase()) + " (expected a JSON object of tensor entries)");
        }
        List<Entry> entries = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equals(METADATA_KEY)) {
                parseMetadata(file, f.getValue(), metadataOut);
            } else {
                entries.add(parseEntry(file, f.getKey(), f.getValue(), dataSize));
            }
        }
        checkLayout(file, entries, dataSize);
        return entries;
    }

    private static void parseMetadata(Path file, JsonNode meta, Map<String, String> out) throws CheckpointException {
        if (meta.isNull()) {
            return;
        }
        if (!meta.isObject()) {
            throw new CheckpointException(file, null, METADATA_KEY + " is a JSON " + meta.getNodeType().name().toLowerCase()
                    + " (expected an object of string values)");
        }
        Iterator<Map.Entry<String, JsonNode>> it = meta.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw new CheckpointException(file, null, METADATA_KEY + " entry '" + m.getKey() + "' is "
                        + m.getValue() + " (expected a string)");
            }
            out.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static Entry parseEntry(Path file, String name, JsonNode node, long dataSize) throws CheckpointException {
        if (!node.isObject()) {
            throw new CheckpointException(file, name, "header entry is " + node
                    + " (expected an object with dtype, shape and data_offsets)");
        }
        JsonNode dt = node.get("dtype");
        if (dt == null || !dt.isTextual()) {
            throw new CheckpointException(file, name, "dtype is " + dt + " (expected a string such as \"F32\")");
        }
        DType dtype = DType.parse(dt.textValue());
        if (dtype == null) {
            throw new CheckpointException(file, name, "unsupported dtype '" + dt.textValue() + "' (expected one of "
                    + Arrays.toString(DType.values()) + ", which are read as float32)");
        }
        JsonNode sh = node.get("shape");
        if (sh == null || !sh.isArray()) {
            throw new CheckpointException(file, name, "shape is " + sh + " (expected an array of sizes)");
        }
        int[] shape = new int[sh.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.intValue() < 0) {
                throw new CheckpointException(file, name, "shape " + sh + " (expected sizes that are integers >= 0)");
            }
            shape[i] = d.intValue();
            numel *= shape[i];
            if (numel > Integer.MAX_VALUE - 8) {
                throw new CheckpointException(file, name, "shape " + sh + " has more than 2^31 elements "
                        + "(expected at most " + (Integer.MAX_VALUE - 8) + ")");
            }
        }
        if (numel == 0) {
            throw new CheckpointException(file, name, "shape " + sh + " has no elements (expected sizes >= 1: "
                    + "GAN4J has no zero-size tensors)");
        }
        JsonNode off = node.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !isLong(off.get(0)) || !isLong(off.get(1))) {
            throw new CheckpointException(file, name, "data_offsets is " + off + " (expected [begin, end])");
        }
        long begin = off.get(0).longValue();
        long end = off.get(1).longValue();
        if (begin < 0 || end < begin) {
            throw new CheckpointException(file, name, "data_offsets " + off + " (expected 0 <= begin <= end)");
        }
        long bytes = numel * dtype.bytes;
        if (end - begin != bytes) {
            throw new CheckpointException(file, name, "data_offsets " + off + " span " + (end - begin) + " bytes "
                    + "(expected " + bytes + " for " + dtype + " " + Shape.str(shape) + ")");
        }
        if (end > dataSize) {
            throw new CheckpointException(file, name, "data_offsets " + off + " reach past the data section of "
                    + dataSize + " bytes (expected end <= " + dataSize + "; file truncated?)");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static boolean isLong(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong();
    }

    /** Tensors must tile the data section exactly, as the reference reader requires: no overlap, no hole. */
    private static void checkLayout(Path file, List<Entry> entries, long dataSize) throws CheckpointException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long pos = 0;
        Entry prev = null;
        for (Entry e : sorted) {
            if (e.begin() < pos) {
                throw new CheckpointException(file, e.name(), "data_offsets [" + e.begin() + ", " + e.end()
                        + "] overlap tensor '" + prev.name() + "' at [" + prev.begin() + ", " + prev.end()
                        + "] (expected each tensor's bytes to be its own)");
            }
            if (e.begin() > pos) {
                throw new CheckpointException(file, e.name(), "data_offsets [" + e.begin() + ", " + e.end()
                        + "] leave bytes [" + pos + ", " + e.begin() + ") of the data section unused (expected "
                        + "tensors laid out contiguously from offset 0)");
            }
            pos = e.end();
            prev = e;
        }
        if (pos != dataSize) {
            throw new CheckpointException(file, prev == null ? null : prev.name(), "the data section has " + dataSize
                    + " bytes but the tensors cover " + pos + " (expected them to cover it exactly)");
        }
    }

    private static void checkExpected(Path file, List<Entry> entries, Map<String, int[]> expected)
            throws CheckpointException {
        if (expected == null) {
            return;
        }
        Map<String, Entry> byName = new LinkedHashMap<>();
        entries.forEach(e -> byName.put(e.name(), e));
        for (Map.Entry<String, int[]> x : expected.entrySet()) {
            Entry e = byName.get(x.getKey());
            if (e == null) {
                throw new CheckpointException(file, x.getKey(), "missing (expected a tensor of shape "
                        + Shape.str(x.getValue()) + "; the file has " + names(byName.keySet()) + ")");
            }
            if (!Arrays.equals(e.shape(), x.getValue())) {
                throw new CheckpointException(file, x.getKey(), "has shape " + Shape.str(e.shape()) + " (expected "
                        + Shape.str(x.getValue()) + ")");
            }
        }
    }

    private static String names(java.util.Collection<String> names) {
        if (names.isEmpty()) {
            return "no tensors";
        }
        List<String> first = new ArrayList<>(names).subList(0, Math.min(LISTED_NAMES, names.size()));
        return names.size() + " tensors: " + String.join(", ", first) + (names.size() > LISTED_NAMES ? ", ..." : "");
    }

    private static Tensor readTensor(FileChannel ch, Path file, long dataStart, Entry e, Backend backend)
            throws IOException {
        int numel = (int) ((e.end() - e.begin()) / e.dtype().bytes);
        float[] values = new float[numel];
        int perChunk = Math.min(numel, CHUNK_BYTES / e.dtype().bytes);
        ByteBuffer buf = ByteBuffer.allocate(perChunk * e.dtype().bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < numel; i += perChunk) {
            int count = Math.min(perChunk, numel - i);
            buf.clear().limit(count * e.dtype().bytes);
            readFully(ch, buf, dataStart + e.begin() + (long) i * e.dtype().bytes, file, e.name());
            buf.flip();
            for (int k = 0; k < count; k++) {
                values[i + k] = e.dtype().read(buf);
            }
        }
        return Tensor.of(backend, values, e.shape());
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position, Path file, String tensor)
            throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                // the header was checked against the file's size: the file shrank while being read
                throw new CheckpointException(file, tensor, "unexpected end of file at byte " + pos
                        + " (expected " + b.remaining() + " more bytes; truncated while reading?)", new EOFException());
            }
            pos += r;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
