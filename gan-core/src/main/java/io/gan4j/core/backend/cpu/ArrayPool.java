package io.gan4j.core.backend.cpu;

import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The arrays of closed buffers, kept for the next allocation of the same length. A training step allocates and
 * frees the same large activations every step; a new Java array of a few megabytes is zeroed by the allocating
 * thread alone and later collected, where a kept one is zeroed by all threads, or not at all when it is to hold an
 * output that its op overwrites ({@link CpuBackend#allocateUninitialized}). Only tiny arrays are left to the JVM.
 */
final class ArrayPool {
    /**
     * Shorter arrays (under 4 KiB) are cheap to allocate and are not kept. Keeping only those of 256 KiB and more
     * left a dcgan-mnist step (batch 16, 2 threads) 4.2 ms of its 65 in the JVM's allocation of the rest, 219
     * calls; with this limit 0.2 ms, and steps ran 10-11 % faster (docs/bench/calibration/OpProfile.java, in turns).
     */
    static final int MIN_LENGTH = 1 << 10;
    /** Most memory kept; an array that would pass it is left to the garbage collector. */
    static final long MAX_BYTES = 256L << 20;

    private final ConcurrentHashMap<Integer, Deque<float[]>> free = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    /** A kept array of exactly {@code length} floats (old contents), or null. */
    float[] take(int length) {
        if (length < MIN_LENGTH) {
            return null;
        }
        Deque<float[]> q = free.get(length);
        float[] a = q == null ? null : q.pollFirst();
        if (a != null) {
            bytes.addAndGet(-(long) length * Float.BYTES);
        }
        return a;
    }

    /** Keeps {@code a} if it is large and the pool has room; the most recently given is taken first. */
    void give(float[] a) {
        if (a.length < MIN_LENGTH) {
            return;
        }
        long size = (long) a.length * Float.BYTES;
        if (bytes.addAndGet(size) > MAX_BYTES) {
            bytes.addAndGet(-size);
            return;
        }
        free.computeIfAbsent(a.length, k -> new ConcurrentLinkedDeque<>()).addFirst(a);
    }

    /** Bytes kept now. */
    long bytes() {
        return bytes.get();
    }

    void clear() {
        free.clear();
        bytes.set(0);
    }
}
