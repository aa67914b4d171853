package io.gan4j.core.backend;

/**
 * A block of float32 memory owned by a {@link Backend}. A buffer may be a view of a larger one
 * ({@link #view}); only the buffer that was allocated frees the memory when closed.
 *
 * <p>Buffers are freed explicitly (see {@link io.gan4j.core.tensor.MemoryScope}): the garbage
 * collector knows nothing of device memory, so no backend relies on it.
 */
public interface Buffer extends AutoCloseable {

    /** The backend that owns this memory. */
    Backend backend();

    /** Number of float elements visible through this buffer. */
    long length();

    /** A view of {@code length} elements starting at {@code offset}; shares memory, frees nothing. */
    Buffer view(long offset, long length);

    /** Whether the memory behind this buffer was freed. */
    boolean isClosed();

    /** Frees the memory (views: no effect). Idempotent. */
    @Override
    void close();
}
