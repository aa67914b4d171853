package io.gan4j.core.train;

import java.util.Map;

/**
 * Real mini-batches for the trainer. Its position is part of a checkpoint ({@link #state}), so a resumed
 * run sees the same batches as one that never stopped.
 */
public interface BatchSource {

    /** The next batch (allocated in the caller's memory scope). */
    Batch next();

    /** The batch size. */
    int batchSize();

    /** Number of classes of the labels, or 0 for unlabelled data. */
    default int classes() {
        return 0;
    }

    /** The position, as strings for a checkpoint's metadata. */
    Map<String, String> state();

    /** Continues from a position saved by {@link #state}. */
    void restore(Map<String, String> state);
}
