package io.gan4j.core.train;

/** Receives the statistics of every training iteration (progress display, logs, plots, early stopping). */
@FunctionalInterface
public interface TrainingCallback {
    void onStep(StepStats stats);
}
