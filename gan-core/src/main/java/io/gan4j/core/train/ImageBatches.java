package io.gan4j.core.train;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.data.BatchSampler;
import io.gan4j.core.data.LabeledImages;
import io.gan4j.core.tensor.Generator;

import java.util.Map;

/** Shuffled batches of an in-memory image set, epoch after epoch. */
public final class ImageBatches implements BatchSource {
    private final LabeledImages images;
    private final Backend backend;
    private final BatchSampler sampler;
    private final int batch;
    private final int classes;

    /** {@code classes}: the number of label classes to condition on, or 0 to ignore labels. */
    public ImageBatches(LabeledImages images, int batch, int classes, Generator gen, Backend backend) {
        if (classes > 0 && !images.hasLabels()) {
            throw new IllegalArgumentException("image batches: " + classes + " classes requested but the images have no labels");
        }
        this.images = images;
        this.backend = backend;
        this.batch = batch;
        this.classes = classes;
        this.sampler = new BatchSampler(images.size(), batch, gen);
    }

    @Override
    public Batch next() {
        int[] idx = sampler.next();
        return new Batch(images.images(backend, idx), classes > 0 ? images.labels(backend, idx) : null);
    }

    @Override
    public int batchSize() {
        return batch;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public Map<String, String> state() {
        return Map.of("data.epoch", Long.toString(sampler.epoch()), "data.position", Integer.toString(sampler.position()));
    }

    @Override
    public void restore(Map<String, String> state) {
        String epoch = state.get("data.epoch");
        String position = state.get("data.position");
        if (epoch == null || position == null) {
            throw new IllegalArgumentException("image batches: checkpoint lacks data.epoch/data.position");
        }
        sampler.seek(Long.parseLong(epoch), Integer.parseInt(position));
    }
}
