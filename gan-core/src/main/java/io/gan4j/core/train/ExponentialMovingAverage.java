package io.gan4j.core.train;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.nn.Module;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of a module's parameters ({@code avg = decay * avg + (1 - decay) * w}
 * after every update), the usual way to get smoother GAN samples (Yazici et al. 2019; Karras et al.).
 * Buffers (batch-norm statistics) are copied as they are.
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

    /** Folds the module's current weights into the average. */
    public void update() {
        Map<String, Tensor> params = module.namedParameters();
        for (Map.Entry<String, Tensor> e : module.stateDict().entrySet()) {
            Tensor avg = average.get(e.getKey());
            Tensor w = e.getValue();
            Backend be = w.backend();
            if (params.containsKey(e.getKey())) {
                // avg = decay * avg + (1 - decay) * w, in place and without the tape
                long[] strides = Shape.strides(avg.shape());
                be.unary(UnaryOp.MUL_SCALAR, decay, avg.buffer(), avg.buffer());
                try (Tensor scaled = Tensor.empty(be, w.shape())) {
                    be.unary(UnaryOp.MUL_SCALAR, 1 - decay, w.buffer(), scaled.buffer());
                    be.binary(BinaryOp.ADD, avg.buffer(), strides, scaled.buffer(), strides, avg.buffer(), avg.shape());
                }
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
