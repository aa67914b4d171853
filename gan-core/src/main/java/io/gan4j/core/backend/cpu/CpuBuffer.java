package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Buffer;

/** Java-heap memory of the CPU backend: a float array, or a window of one. */
public final class CpuBuffer implements Buffer {
    private final CpuBackend backend;
    private final float[] data;
    private final int offset;
    private final int length;
    private final CpuBuffer owner;   // null for the allocating buffer
    private volatile boolean closed;

    CpuBuffer(CpuBackend backend, float[] data) {
        this(backend, data, 0, data.length, null);
    }

    private CpuBuffer(CpuBackend backend, float[] data, int offset, int length, CpuBuffer owner) {
        this.backend = backend;
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.owner = owner;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public Buffer view(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > this.length) {
            throw new IllegalArgumentException("view [" + offset + ", " + (offset + length) + ") outside buffer of "
                    + this.length + " floats");
        }
        return new CpuBuffer(backend, data, this.offset + (int) offset, (int) length, owner == null ? this : owner);
    }

    @Override
    public boolean isClosed() {
        return owner == null ? closed : owner.isClosed();
    }

    @Override
    public synchronized void close() {
        // synchronized: a buffer closed twice at once must give its array back once, or two tensors would share it
        if (owner == null && !closed) {
            closed = true;
            backend.released(data);
        }
    }

    /**
     * The backing array (valid from {@link #offset()} for {@link #length()} floats). Checking here, once
     * per kernel call, makes use-after-free as visible on the CPU as it is on a GPU.
     */
    public float[] array() {
        if (isClosed()) {
            throw new IllegalStateException("buffer of " + length + " floats used after it was freed "
                    + "(its MemoryScope was closed)");
        }
        return data;
    }

    public int offset() {
        return offset;
    }

    public int size() {
        return length;
    }
}
