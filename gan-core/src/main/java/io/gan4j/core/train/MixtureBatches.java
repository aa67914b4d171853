package io.gan4j.core.train;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.data.GaussianMixture2d;
import io.gan4j.core.tensor.Generator;

import java.util.Map;

/**
 * Fresh samples of a 2-D Gaussian mixture for every batch. They are drawn from the trainer's generator,
 * whose state the checkpoint holds, so this source has no state of its own.
 */
public final class MixtureBatches implements BatchSource {
    private final GaussianMixture2d mixture;
    private final int batch;
    private final Generator gen;
    private final Backend backend;

    public MixtureBatches(GaussianMixture2d mixture, int batch, Generator gen, Backend backend) {
        this.mixture = mixture;
        this.batch = batch;
        this.gen = gen;
        this.backend = backend;
    }

    @Override
    public Batch next() {
        return new Batch(mixture.sample(backend, gen, batch), null);
    }

    @Override
    public int batchSize() {
        return batch;
    }

    @Override
    public Map<String, String> state() {
        return Map.of();
    }

    @Override
    public void restore(Map<String, String> state) {
        // the samples come from the shared generator, restored with the checkpoint
    }
}
