package io.gan4j.core.io;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a training run saves: named tensors in order (model and optimizer state, PyTorch-style names such
 * as {@code generator.fc.weight}) and string metadata (the step, the random generators' seeds and
 * offsets). Stored as a safetensors file, so weights move between GAN4J and PyTorch both ways.
 *
 * <p>Tensors of a loaded checkpoint are created in the caller's {@link io.gan4j.core.tensor.MemoryScope}.
 */
public final class Checkpoint {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public Checkpoint() {
    }

    public Checkpoint(Map<String, Tensor> tensors, Map<String, String> metadata) {
        tensors.forEach(this::put);
        metadata.forEach(this::metadata);
    }

    /** The tensors, in order (read-only view). */
    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** The metadata, in order (read-only view). */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** Adds a tensor; a name given twice is an error (two modules saved under one prefix, most likely). */
    public Checkpoint put(String name, Tensor tensor) {
        if (name == null || name.isEmpty() || name.equals(SafeTensors.METADATA_KEY)) {
            throw new IllegalArgumentException("checkpoint: invalid tensor name '" + name + "'");
        }
        if (tensor == null) {
            throw new IllegalArgumentException("checkpoint: tensor '" + name + "' is null");
        }
        if (tensors.putIfAbsent(name, tensor) != null) {
            throw new IllegalArgumentException("checkpoint: a tensor named '" + name + "' was already added");
        }
        return this;
    }

    /** Adds every tensor of {@code named} (e.g. a module's state dict) as {@code prefix + name}. */
    public Checkpoint putAll(String prefix, Map<String, Tensor> named) {
        named.forEach((k, v) -> put(prefix + k, v));
        return this;
    }

    /** The tensor of that name, or an error listing what the checkpoint has. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("checkpoint: no tensor '" + name + "' (it has " + tensors.keySet() + ")");
        }
        return t;
    }

    /** The tensors whose names start with {@code prefix}, with the prefix removed, in order. */
    public Map<String, Tensor> tensorsWithPrefix(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    public Checkpoint metadata(String key, String value) {
        if (key == null || value == null) {
            throw new IllegalArgumentException("checkpoint: metadata " + key + " = " + value + " (expected strings)");
        }
        metadata.put(key, value);
        return this;
    }

    /** The metadata value of that key, or null. */
    public String metadata(String key) {
        return metadata.get(key);
    }

    /** The training step, saved as metadata "step". */
    public Checkpoint step(long step) {
        return metadata("step", Long.toString(step));
    }

    public long step() {
        return longMetadata("step");
    }

    /** Saves a generator's whole state as metadata {@code <key>.seed} and {@code <key>.offset}. */
    public Checkpoint generator(String key, Generator generator) {
        metadata(key + ".seed", Long.toString(generator.seed()));
        return metadata(key + ".offset", Long.toString(generator.offset()));
    }

    /** The generator saved under {@code key}, continuing exactly where it was saved. */
    public Generator generator(String key) {
        return new Generator(longMetadata(key + ".seed"), longMetadata(key + ".offset"));
    }

    private long longMetadata(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint: no metadata '" + key + "' (it has " + metadata.keySet() + ")");
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint: metadata '" + key + "' = '" + v + "' (expected an integer)", e);
        }
    }

    /** Writes the checkpoint atomically: the previous file at {@code file} survives any failure. */
    public void save(Path file) throws IOException {
        SafeTensors.write(file, tensors, metadata);
    }

    /** Reads a checkpoint onto {@code backend}; every tensor is converted to float32. */
    public static Checkpoint load(Path file, Backend backend) throws IOException {
        return load(file, backend, null);
    }

    /**
     * Reads a checkpoint, requiring each tensor of {@code expectedShapes} (e.g. a model's parameter
     * shapes) to be present with that shape. Nothing is returned half-loaded: any problem is a
     * {@link CheckpointException} naming the file, the tensor and what was expected.
     */
    public static Checkpoint load(Path file, Backend backend, Map<String, int[]> expectedShapes) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file, backend, expectedShapes);
        return new Checkpoint(c.tensors(), c.metadata());
    }
}
