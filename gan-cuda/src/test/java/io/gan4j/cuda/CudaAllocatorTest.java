package io.gan4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The caching allocator's bookkeeping, on fake memory (runs without a GPU). */
class CudaAllocatorTest {

    /** Fake device: counts live bytes, fails above a capacity. */
    static final class FakeRaw implements CudaAllocator.Raw<long[]> {
        long live;
        long capacity = Long.MAX_VALUE;
        int frees;

        @Override
        public long[] malloc(long bytes) {
            if (live + bytes > capacity) throw new IllegalStateException("CUDA_ERROR_OUT_OF_MEMORY");
            live += bytes;
            return new long[] {bytes};
        }

        @Override
        public void free(long[] block) {
            live -= block[0];
            frees++;
        }
    }

    @Test
    void sizeClasses() {
        assertEquals(512, CudaAllocator.sizeClass(0));
        assertEquals(512, CudaAllocator.sizeClass(4));
        assertEquals(1024, CudaAllocator.sizeClass(513));
        assertEquals(1 << 20, CudaAllocator.sizeClass(1 << 20));
        assertEquals(2 << 20, CudaAllocator.sizeClass((1 << 20) + 1));
        assertEquals(4 << 20, CudaAllocator.sizeClass((2 << 20) + 1));
    }

    @Test
    void aTrainingLoopStopsAllocatingAfterItsFirstStep() {
        FakeRaw raw = new FakeRaw();
        CudaAllocator<long[]> a = new CudaAllocator<>(raw);
        long[] sizes = {4 * 64 * 100, 4 * 12544 * 64, 4 * 64, 4 * 7 * 7 * 256 * 64, 1000};
        long mallocsAfterFirst = -1;
        long liveAfterFirst = -1;
        for (int step = 0; step < 1000; step++) {
            List<CudaAllocator.Block<long[]>> scope = new ArrayList<>();
            for (long s : sizes) scope.add(a.allocate(s));
            for (long s : sizes) scope.add(a.allocate(s));   // two of each alive at once
            for (CudaAllocator.Block<long[]> b : scope) a.release(b);
            assertEquals(0, a.bytesInUse());
            if (step == 0) {
                mallocsAfterFirst = a.mallocs();
                liveAfterFirst = raw.live;
            }
        }
        assertEquals(mallocsAfterFirst, a.mallocs(), "no new device allocation after the first step");
        assertEquals(liveAfterFirst, raw.live, "device memory flat");
        a.emptyCache();
        assertEquals(0, raw.live);
        assertEquals(0, a.bytesCached());
    }

    @Test
    void reusesTheLastFreedBlockOfItsClass() {
        CudaAllocator<long[]> a = new CudaAllocator<>(new FakeRaw());
        CudaAllocator.Block<long[]> b = a.allocate(1000);
        a.release(b);
        assertSame(b, a.allocate(900));
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetriesOnce() {
        FakeRaw raw = new FakeRaw();
        raw.capacity = 4 << 20;
        CudaAllocator<long[]> a = new CudaAllocator<>(raw);
        a.release(a.allocate(2 << 20));          // cached: 2 MiB of the 3
        CudaAllocator.Block<long[]> big = a.allocate(3 << 20);   // class 4 MiB: needs the cache emptied
        assertEquals(4 << 20, big.bytes());
        assertEquals(1, raw.frees);
        assertEquals(4 << 20, a.bytesInUse());
    }
}
