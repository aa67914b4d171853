package io.gan4j.core.data;

import io.gan4j.core.tensor.Generator;

import java.util.SplittableRandom;

/**
 * Shuffled mini-batch indices, epoch after epoch. Epoch {@code e}'s order is a function of the seed and
 * {@code e} alone, and the position is two numbers, so a resumed run continues with the same batches.
 * An incomplete last batch of an epoch is dropped (GAN batch statistics want full batches).
 */
public final class BatchSampler {
    private final int size;
    private final int batch;
    private final long seed;
    private int[] order;
    private long epoch;
    private int position;

    public BatchSampler(int size, int batch, Generator gen) {
        if (batch < 1 || batch > size) {
            throw new IllegalArgumentException("batch size " + batch + " must be between 1 and the data set size " + size);
        }
        this.size = size;
        this.batch = batch;
        this.seed = gen.seed();
    }

    /** The indices of the next batch. */
    public int[] next() {
        if (order == null || position + batch > size) {
            if (order != null) {
                epoch++;
            }
            order = permutation(epoch);
            position = 0;
        }
        int[] idx = new int[batch];
        System.arraycopy(order, position, idx, 0, batch);
        position += batch;
        return idx;
    }

    private int[] permutation(long e) {
        int[] p = new int[size];
        for (int i = 0; i < size; i++) {
            p[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(new Generator(seed).fork(e).seed());
        for (int i = size - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    public long epoch() {
        return epoch;
    }

    public int position() {
        return position;
    }

    /** Restores a position saved from {@link #epoch()} and {@link #position()}. */
    public void seek(long epoch, int position) {
        this.epoch = epoch;
        this.order = permutation(epoch);
        this.position = position;
    }
}
