package io.gan4j.core.optim;

import io.gan4j.core.io.Checkpoint;
import io.gan4j.core.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer's state: tensors ({@code <param>.exp_avg}, ...) and counters ({@code <param>.step}), both in
 * a stable order. In a checkpoint the tensors go next to the model's under a prefix and the counters into
 * the metadata, where integers stay exact (a float32 tensor would round steps above 2^24).
 */
public record OptimizerState(Map<String, Tensor> tensors, Map<String, Long> counters) {
    public OptimizerState {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }

    /** Adds this state to {@code checkpoint}, every name prefixed with {@code prefix} (e.g. "optimizer.d."). */
    public void writeTo(Checkpoint checkpoint, String prefix) {
        tensors.forEach((k, v) -> checkpoint.put(prefix + k, v));
        counters.forEach((k, v) -> checkpoint.metadata(prefix + k, Long.toString(v)));
    }

    /** The state saved by {@link #writeTo} under {@code prefix}. */
    public static OptimizerState readFrom(Checkpoint checkpoint, String prefix) {
        Map<String, Long> counters = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : checkpoint.metadata().entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getKey().endsWith(".step")) {
                try {
                    counters.put(e.getKey().substring(prefix.length()), Long.parseLong(e.getValue()));
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("checkpoint metadata '" + e.getKey() + "' = '" + e.getValue()
                            + "' (expected an integer step count)", ex);
                }
            }
        }
        return new OptimizerState(checkpoint.tensorsWithPrefix(prefix), counters);
    }
}
