package io.gan4j.core.train;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.io.Checkpoint;
import io.gan4j.core.io.CheckpointException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Keeps, in a checkpoint file of its own, the training state with the best quality score offered so far.
 * GANs swing from one evaluation to the next and often get worse late (DESIGN.md: keep the best checkpoint
 * by the quality metric, not only the last), so the last weights are not always the ones to use.
 *
 * <p>The score is whatever the caller measures, higher being better. It is saved in the checkpoint's
 * metadata ({@value #SCORE}), so a resumed run goes on comparing against the best of the runs before it.
 * Choosing a checkpoint by a score favours it on the samples that were scored: measure the chosen one
 * again on other samples before quoting its quality.
 */
public final class BestCheckpoint {
    /** The metadata key of the score. */
    public static final String SCORE = "best_score";

    private final Path file;
    private double score;
    private long step;

    private BestCheckpoint(Path file, double score, long step) {
        this.file = file;
        this.score = score;
        this.step = step;
    }

    /** Nothing kept yet: the first score offered is the best, and overwrites whatever {@code file} holds. */
    public static BestCheckpoint fresh(Path file) {
        return new BestCheckpoint(file, Double.NEGATIVE_INFINITY, -1);
    }

    /** Continues from the best checkpoint an earlier run left at {@code file}; fresh where there is none. */
    public static BestCheckpoint resume(Path file, Backend backend) throws IOException {
        if (!Files.exists(file)) {
            return fresh(file);
        }
        Checkpoint c = Checkpoint.load(file, backend);
        String value = c.metadata(SCORE);
        if (value == null) {
            throw new CheckpointException(file, null, "no metadata '" + SCORE
                    + "' (expected a best checkpoint written by BestCheckpoint)");
        }
        double s;
        try {
            s = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new CheckpointException(file, null, "metadata '" + SCORE + "' = '" + value + "' (expected a number)", e);
        }
        if (Double.isNaN(s)) {
            throw new CheckpointException(file, null, "metadata '" + SCORE + "' is NaN (expected a number)");
        }
        return new BestCheckpoint(file, s, c.step());
    }

    /** Saves the trainer's whole state when {@code score} beats the best so far (ties keep the earlier one); whether it did. */
    public boolean offer(GanTrainer trainer, double score) throws IOException {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("best checkpoint: score is NaN at step " + trainer.step()
                    + " (expected a number; score a diverged generator as the worst)");
        }
        if (!(score > this.score)) {
            return false;
        }
        trainer.save(file, Map.of(SCORE, Double.toString(score)));
        this.score = score;
        this.step = trainer.step();
        return true;
    }

    public Path file() {
        return file;
    }

    /** Whether a checkpoint has been kept (by this run or, when resumed, an earlier one). */
    public boolean exists() {
        return step >= 0;
    }

    /** The best score so far; negative infinity before the first. */
    public double score() {
        return score;
    }

    /** The step of the kept checkpoint; -1 before the first. */
    public long step() {
        return step;
    }
}
