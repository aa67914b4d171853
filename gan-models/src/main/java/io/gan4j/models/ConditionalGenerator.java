package io.gan4j.models;

import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.nn.Embedding;
import io.gan4j.core.nn.Module;
import io.gan4j.core.ops.Ops;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;
import io.gan4j.core.train.Conditional;

/**
 * A class-conditional generator (Mirza & Osindero 2014): the label's learned embedding is concatenated to
 * the noise, {@code [N, z] ++ [N, e] -> [N, z + e]}, and {@code main} maps that to an image.
 */
public final class ConditionalGenerator extends Module implements Conditional {
    private final int latentDim;
    private final int classes;
    private final Embedding labelEmbedding;
    private final Module main;

    ConditionalGenerator(int latentDim, Embedding labelEmbedding, int classes, Module main) {
        this.latentDim = latentDim;
        this.classes = classes;
        this.labelEmbedding = registerModule("label_embedding", labelEmbedding);
        this.main = registerModule("main", main);
    }

    public int classes() {
        return classes;
    }

    @Override
    public Tensor forward(Tensor z, Tensor labels) {
        if (z.dim() != 2 || z.size(1) != latentDim || labels.dim() != 1 || labels.size(0) != z.size(0)) {
            throw new IllegalArgumentException("conditional generator: expected noise [N, " + latentDim
                    + "] and labels [N], got " + Shape.str(z.shape()) + " and " + Shape.str(labels.shape()));
        }
        return main.forward(Ops.concat(1, z, labelEmbedding.forward(labels)));
    }

    /** A conditional generator needs labels: use {@link #forward(Tensor, Tensor)} or {@link #generate}. */
    @Override
    public Tensor forward(Tensor z) {
        throw new UnsupportedOperationException("conditional generator: needs class labels beside the noise; "
                + "call forward(z, labels) or generate(z, classIndex)");
    }

    /**
     * Samples of class {@code classIndex}, one per row of {@code z}, in evaluation mode and without the tape
     * (the mode is restored afterwards).
     */
    public Tensor generate(Tensor z, int classIndex) {
        Tensor labels = labelsOf(z, classIndex, classes);
        boolean wasTraining = isTraining();
        eval();
        try (GradMode off = GradMode.disable()) {
            return forward(z, labels);
        } finally {
            train(wasTraining);
        }
    }

    /** {@code [N]} labels, all {@code classIndex}, for a batch shaped like {@code z} (e.g. for the trainer's sample). */
    public static Tensor labelsOf(Tensor z, int classIndex, int classes) {
        if (classIndex < 0 || classIndex >= classes) {
            throw new IllegalArgumentException("conditional generator: class " + classIndex + " outside [0, "
                    + classes + ")");
        }
        return Tensor.full(z.backend(), classIndex, z.size(0));
    }
}
