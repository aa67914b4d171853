package io.gan4j.cuda;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Buffer;
import jcuda.driver.CUdeviceptr;

/**
 * Device memory of the CUDA backend: a block of the {@link CudaAllocator}, or a window of one. Closing the
 * allocating buffer returns its block to the allocator's cache (the {@code MemoryScope} of gan-core does
 * that for temporaries); views free nothing. No finalizer: the garbage collector never frees device memory.
 */
public final class CudaBuffer implements Buffer {
    private final CudaBackend backend;
    private final CudaAllocator.Block<CUdeviceptr> block;
    private final long offset;   // floats
    private final long length;   // floats
    private final CudaBuffer owner;
    private boolean closed;

    CudaBuffer(CudaBackend backend, CudaAllocator.Block<CUdeviceptr> block, long length) {
        this(backend, block, 0, length, null);
    }

    private CudaBuffer(CudaBackend backend, CudaAllocator.Block<CUdeviceptr> block, long offset, long length,
                       CudaBuffer owner) {
        this.backend = backend;
        this.block = block;
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
        return new CudaBuffer(backend, block, this.offset + offset, length, owner == null ? this : owner);
    }

    @Override
    public boolean isClosed() {
        return owner == null ? closed : owner.isClosed();
    }

    @Override
    public void close() {
        if (owner == null && !closed) {
            closed = true;
            backend.release(block);
        }
    }

    /** The device address of element 0 of this buffer; fails on a freed buffer (use after free). */
    CUdeviceptr pointer() {
        if (isClosed()) {
            throw new IllegalStateException("cuda buffer of " + length + " floats used after it was freed "
                    + "(its MemoryScope was closed)");
        }
        return offset == 0 ? block.raw() : block.raw().withByteOffset(offset * Float.BYTES);
    }

    /** The device address of element {@code i}. */
    CUdeviceptr pointer(long i) {
        return i == 0 ? pointer() : pointer().withByteOffset(i * Float.BYTES);
    }
}
