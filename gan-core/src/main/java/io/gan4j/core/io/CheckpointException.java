package io.gan4j.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint that cannot be read or written. The message names the file, the tensor when one is at
 * fault, and what was expected, so that it can be acted on without a debugger.
 */
public final class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String tensor;

    public CheckpointException(Path file, String tensor, String problem) {
        this(file, tensor, problem, null);
    }

    public CheckpointException(Path file, String tensor, String problem, Throwable cause) {
        super(file + (tensor != null ? ": tensor '" + tensor + "'" : "") + ": " + problem, cause);
        this.file = file;
        this.tensor = tensor;
    }

    /** The checkpoint file. */
    public Path file() {
        return file;
    }

    /** The tensor at fault, or null when the problem is the file as a whole. */
    public String tensor() {
        return tensor;
    }
}
