package io.gan4j.core.train;

import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.backend.Backend;
import io.gan4j.core.nn.AbstractBatchNorm;
import io.gan4j.core.nn.Module;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An exponential moving average of a module's parameters ({@code avg = d * avg + (1 - d) * w} after every
 * update), the usual way to get smoother GAN samples (Yazici et al. 2019; Karras et al.). Buffers
 * (batch-norm statistics) are copied as they are; {@link #recomputeBatchNormStatistics} then measures the
 * averaged weights' own.
 *
 * <p>The average starts from the initial weights, so a long horizon alone (d = 0.999) would keep 61 % of
 * the random initialisation in it after 500 steps; like TensorFlow's {@code ExponentialMovingAverage} with
 * {@code num_updates}, update t uses {@code d = min(decay, (1 + t) / (10 + t))}, so early averages follow
 * the weights closely and the full horizon applies once training is under way.
 */
public final class ExponentialMovingAverage implements AutoCloseable {
    private final Module module;
    private final float decay;
    private final Map<String, Tensor> average = new LinkedHashMap<>();

    public ExponentialMovingAverage(Module module, float decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1), got " + decay);
        }
        this.module = module;
        this.decay = decay;
        MemoryScope.detached(() -> {
            module.stateDict().forEach((name, t) -> average.put(name, copyOf(t)));
            return null;
        });
    }

    private static Tensor copyOf(Tensor t) {
        Tensor c = Tensor.empty(t.backend(), t.shape());
        t.backend().copy(t.buffer(), 0, c.buffer(), 0, t.numel());
        return c;
    }

    public float decay() {
        return decay;
    }

    /** The decay that update number {@code t} (1, 2, ...) uses: {@code min(decay, (1 + t) / (10 + t))}. */
    public float decayAt(long t) {
        return (float) Math.min(decay, (1.0 + t) / (10.0 + t));
    }

    /** Folds the module's current weights into the average, as update number {@code t} (the training step). */
    public void update(long t) {
        float d = decayAt(t);
        Map<String, Tensor> params = module.namedParameters();
        for (Map.Entry<String, Tensor> e : module.stateDict().entrySet()) {
            Tensor avg = average.get(e.getKey());
            Tensor w = e.getValue();
            Backend be = w.backend();
            if (params.containsKey(e.getKey())) {
                // avg = d * avg + (1 - d) * w, in place and without the tape
                be.axpby(1 - d, w.buffer(), d, avg.buffer());
            } else {
                be.copy(w.buffer(), 0, avg.buffer(), 0, w.numel());
            }
        }
    }

    /** The averaged weights, PyTorch names of the module. */
    public Map<String, Tensor> stateDict() {
        return average;
    }

    /** Replaces the average (resume). */
    public void loadStateDict(Map<String, Tensor> state) {
        for (Map.Entry<String, Tensor> e : average.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null || !java.util.Arrays.equals(src.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("EMA: tensor '" + e.getKey() + "' missing or of the wrong shape");
            }
        }
        for (Map.Entry<String, Tensor> e : average.entrySet()) {
            Tensor src = state.get(e.getKey());
            src.backend().copy(src.buffer(), 0, e.getValue().buffer(), 0, src.numel());
        }
    }

    /**
     * Measures the batch-norm statistics of the averaged weights and keeps them in the average, in place of the
     * trained network's, which belong to other weights: a network whose weights are averaged needs its own
     * (SWA's {@code update_bn}, BigGAN's standing statistics). With the averaged weights in the module,
     * {@code forwardOneBatch} runs {@code batches} times in training mode without the tape, and every batch
     * weighs the same. The next {@link #update} copies the trained network's statistics again.
     *
     * @return false, changing nothing, when the module has no batch norm
     */
    public boolean recomputeBatchNormStatistics(int batches, Runnable forwardOneBatch) {
        if (batches < 1) {
            throw new IllegalArgumentException("EMA: batch-norm statistics need at least 1 batch, got " + batches);
        }
        List<AbstractBatchNorm> norms = module.modules().stream()
                .filter(AbstractBatchNorm.class::isInstance).map(AbstractBatchNorm.class::cast).toList();
        if (norms.isEmpty()) {
            return false;
        }
        Set<Tensor> statistics = Collections.newSetFromMap(new IdentityHashMap<>());
        norms.forEach(n -> {
            statistics.add(n.runningMean());
            statistics.add(n.runningVar());
        });
        withAveragedWeights(() -> {
            boolean wasTraining = module.isTraining();
            norms.forEach(AbstractBatchNorm::startCumulativeAverage);
            module.train();
            try (GradMode off = GradMode.disable()) {
                for (int i = 0; i < batches; i++) {
                    try (MemoryScope scope = MemoryScope.open()) {
                        forwardOneBatch.run();
                    }
                }
            } finally {
                norms.forEach(AbstractBatchNorm::stopCumulativeAverage);
                module.train(wasTraining);
            }
            // withAveragedWeights puts the trained network's statistics back into the module: keep these first
            module.stateDict().forEach((name, t) -> {
                if (statistics.contains(t)) {
                    t.backend().copy(t.buffer(), 0, average.get(name).buffer(), 0, t.numel());
                }
            });
            return null;
        });
        return true;
    }

    /** Runs {@code body} with the averaged weights in the module, then puts the trained weights back. */
    public <T> T withAveragedWeights(java.util.function.Supplier<T> body) {
        Map<String, Tensor> state = module.stateDict();
        Map<String, Tensor> saved = new LinkedHashMap<>();
        MemoryScope.detached(() -> {
            state.forEach((name, t) -> saved.put(name, copyOf(t)));
            return null;
        });
        try {
            module.loadStateDict(average);
            return body.get();
        } finally {
            module.loadStateDict(saved);
            saved.values().forEach(Tensor::close);
        }
    }

    @Override
    public void close() {
        average.values().forEach(Tensor::close);
    }
}
