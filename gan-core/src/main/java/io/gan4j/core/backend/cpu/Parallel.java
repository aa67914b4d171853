package io.gan4j.core.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;

/**
 * The CPU backend's worker threads. Work is split into index ranges; every result element is computed
 * by exactly one task in a fixed order, so results do not depend on the number of threads.
 */
public final class Parallel {

    /** Body of a parallel loop over {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private final int threads;
    private final ForkJoinPool pool;

    Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("gan4j-cpu-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks of at least {@code grain} indices, on all threads.
     * Runs inline when the work is small or there is one thread.
     */
    public void forRange(int n, int grain, Range body) {
        if (n <= 0) {
            return;
        }
        int chunks = Math.min(threads * 4, Math.max(1, n / Math.max(1, grain)));
        if (pool == null || chunks <= 1 || inPool()) {
            body.run(0, n);
            return;
        }
        pool.invoke(new Task(body, n, chunks, 0, chunks));
    }

    /** Nested loops run inline on the worker that reached them. */
    private boolean inPool() {
        Thread t = Thread.currentThread();
        return t instanceof ForkJoinWorkerThread && ((ForkJoinWorkerThread) t).getPool() == pool;
    }

    /** Number of independent tasks {@link #forRange} would use for n items of the given grain. */
    public int chunks(int n, int grain) {
        return Math.max(1, Math.min(threads * 4, Math.max(1, n / Math.max(1, grain))));
    }

    void shutdown() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private static final class Task extends RecursiveAction {
        private final Range body;
        private final int n;
        private final int chunks;
        private final int lo;
        private final int hi;

        Task(Range body, int n, int chunks, int lo, int hi) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                int from = (int) ((long) n * lo / chunks);
                int to = (int) ((long) n * hi / chunks);
                body.run(from, to);
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Task(body, n, chunks, lo, mid), new Task(body, n, chunks, mid, hi));
        }
    }
}
