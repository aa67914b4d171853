package io.gan4j.models;

import io.gan4j.core.train.Batch;
import io.gan4j.core.train.BatchSource;

import java.util.Map;

/**
 * Image batches seen as flat vectors, {@code [N, C, H, W] -> [N, C*H*W]}: the input of the Vanilla GAN's
 * MLPs on MNIST. A decorator, so the position (and checkpoints) stay those of the wrapped source. (A data
 * adapter rather than a model: it belongs in gan-core's train package once someone else needs it.)
 */
public final class FlattenedBatches implements BatchSource {
    private final BatchSource images;

    public FlattenedBatches(BatchSource images) {
        this.images = images;
    }

    @Override
    public Batch next() {
        Batch b = images.next();
        int n = b.samples().size(0);
        return new Batch(b.samples().reshape(n, (int) (b.samples().numel() / n)), b.labels());
    }

    @Override
    public int batchSize() {
        return images.batchSize();
    }

    @Override
    public int classes() {
        return images.classes();
    }

    @Override
    public Map<String, String> state() {
        return images.state();
    }

    @Override
    public void restore(Map<String, String> state) {
        images.restore(state);
    }
}
