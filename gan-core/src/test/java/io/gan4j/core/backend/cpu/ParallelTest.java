package io.gan4j.core.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnceLoopAfterLoop() {
        Parallel p = new Parallel(3);
        try {
            for (int round = 0; round < 2_000; round++) {
                int n = 1 + round % 97;
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                p.forRange(n, 1, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "round " + round + ", index " + i);
                }
            }
        } finally {
            p.shutdown();
        }
    }

    @Test
    void theCallerAndTheHelpersShareTheWork() throws Exception {
        Parallel p = new Parallel(2);
        try {
            // two chunks that each wait for the other: only two threads working at once can finish them
            CountDownLatch both = new CountDownLatch(2);
            AtomicInteger finished = new AtomicInteger();
            p.forRange(2, 1, (from, to) -> {
                both.countDown();
                try {
                    if (both.await(10, TimeUnit.SECONDS)) {
                        finished.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertEquals(2, finished.get());
        } finally {
            p.shutdown();
        }
    }

    @Test
    void aFailingChunkFailsTheCallAndTheNextCallWorks() {
        Parallel p = new Parallel(2);
        try {
            IllegalStateException boom = new IllegalStateException("chunk 3");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> p.forRange(8, 1, (from, to) -> {
                if (from == 3) {
                    throw boom;
                }
            }));
            assertSame(boom, thrown);
            AtomicInteger sum = new AtomicInteger();
            p.forRange(100, 1, (from, to) -> sum.addAndGet(to - from));
            assertEquals(100, sum.get());
        } finally {
            p.shutdown();
        }
    }

    @Test
    void nestedAndConcurrentLoopsComplete() throws Exception {
        Parallel p = new Parallel(2);
        try {
            AtomicInteger inner = new AtomicInteger();
            p.forRange(4, 1, (from, to) -> p.forRange(10, 1, (a, b) -> inner.addAndGet(b - a)));
            assertEquals(40, inner.get(), "nested loops run inline");

            AtomicInteger total = new AtomicInteger();
            Thread[] callers = new Thread[3];
            for (int t = 0; t < callers.length; t++) {
                callers[t] = new Thread(() -> {
                    for (int r = 0; r < 500; r++) {
                        p.forRange(16, 1, (a, b) -> total.addAndGet(b - a));
                    }
                });
                callers[t].start();
            }
            for (Thread t : callers) {
                t.join(30_000);
            }
            assertEquals(3 * 500 * 16, total.get(), "a second caller runs its loop inline while one is under way");
        } finally {
            p.shutdown();
        }
    }

    @Test
    void shutdownEndsTheHelpers() throws Exception {
        Parallel p = new Parallel(3);
        p.forRange(8, 1, (from, to) -> { });
        assertTrue(p.helpersAlive());
        p.shutdown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (p.helpersAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(!p.helpersAlive(), "helpers still running 10 s after shutdown");
    }
}
