package io.gan4j.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A caching allocator of device memory: a freed block goes back to a free list of its size class and the
 * next request of that class takes it, so that a training loop, which asks for the same sizes every step,
 * stops calling {@code cuMemAlloc}/{@code cuMemFree} after its first step and its memory stays flat.
 *
 * <p>Reuse is safe without events because every kernel of a {@link CudaBackend} runs on its one stream: work
 * queued after the free is ordered after the work that last used the block. Blocks are freed explicitly
 * (buffers closed by their {@code MemoryScope}); nothing here depends on the garbage collector.
 *
 * <p>Size classes: up to 1 MiB a multiple of 512 bytes, above it a multiple of 2 MiB. When the device is out
 * of memory the cache is emptied and the request tried once more. Not thread-safe on its own: the backend
 * synchronises.
 *
 * @param <B> the raw block type ({@code CUdeviceptr} on a GPU; anything in tests)
 */
final class CudaAllocator<B> {

    /** Raw device memory. */
    interface Raw<B> {
        /** A block of exactly {@code bytes}; throws (any RuntimeException) when the device is out of memory. */
        B malloc(long bytes);

        void free(B block);
    }

    /** A block handed out: the raw block and its size class. */
    record Block<B>(B raw, long bytes) {
    }

    static final long SMALL = 1L << 20;
    static final long SMALL_ROUND = 512;
    static final long LARGE_ROUND = 2L << 20;

    private final Raw<B> raw;
    private final Map<Long, ArrayDeque<Block<B>>> free = new HashMap<>();
    private long bytesInUse;
    private long bytesCached;
    private long mallocs;

    CudaAllocator(Raw<B> raw) {
        this.raw = raw;
    }

    static long sizeClass(long bytes) {
        long b = Math.max(bytes, 1);
        long round = b <= SMALL ? SMALL_ROUND : LARGE_ROUND;
        return (b + round - 1) / round * round;
    }

    synchronized Block<B> allocate(long bytes) {
        long size = sizeClass(bytes);
        ArrayDeque<Block<B>> list = free.get(size);
        Block<B> block = list == null ? null : list.pollLast();
        if (block != null) {
            bytesCached -= size;
        } else {
            B r;
            try {
                r = raw.malloc(size);
            } catch (RuntimeException outOfMemory) {
                emptyCache();
                r = raw.malloc(size);   // a second failure propagates
            }
            mallocs++;
            block = new Block<>(r, size);
        }
        bytesInUse += size;
        return block;
    }

    synchronized void release(Block<B> block) {
        bytesInUse -= block.bytes();
        bytesCached += block.bytes();
        free.computeIfAbsent(block.bytes(), k -> new ArrayDeque<>()).addLast(block);
    }

    /** Returns every cached block to the device. */
    synchronized void emptyCache() {
        for (ArrayDeque<Block<B>> list : free.values()) {
            for (Block<B> b : list) {
                raw.free(b.raw());
            }
        }
        free.clear();
        bytesCached = 0;
    }

    /** Bytes handed out and not released (size classes, so at least what was asked for). */
    synchronized long bytesInUse() {
        return bytesInUse;
    }

    /** Bytes released and kept for reuse. */
    synchronized long bytesCached() {
        return bytesCached;
    }

    /** How many times the raw allocator was called (flat once a loop is warm). */
    synchronized long mallocs() {
        return mallocs;
    }
}
