package io.gan4j.models;

import io.gan4j.core.nn.Embedding;
import io.gan4j.core.nn.Linear;
import io.gan4j.core.nn.Module;
import io.gan4j.core.ops.Ops;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;
import io.gan4j.core.train.Conditional;

/**
 * A class-conditional discriminator by concatenation (Mirza & Osindero 2014): the label's embedding, one
 * value per pixel, becomes an extra input channel; {@code features} map the {@code C + 1} channels to
 * {@code [N, F]} and {@code head} to one logit.
 */
public final class ConcatDiscriminator extends Module implements Conditional {
    private final int height;
    private final int width;
    private final Embedding labelEmbedding;
    private final Module features;
    private final Linear head;

    ConcatDiscriminator(int height, int width, Embedding labelEmbedding, Module features, Linear head) {
        this.height = height;
        this.width = width;
        this.labelEmbedding = registerModule("label_embedding", labelEmbedding);
        this.features = registerModule("features", features);
        this.head = registerModule("head", head);
    }

    @Override
    public Tensor forward(Tensor x, Tensor labels) {
        if (x.dim() != 4 || x.size(2) != height || x.size(3) != width || labels.dim() != 1 || labels.size(0) != x.size(0)) {
            throw new IllegalArgumentException("concat discriminator: expected images [N, C, " + height + ", " + width
                    + "] and labels [N], got " + Shape.str(x.shape()) + " and " + Shape.str(labels.shape()));
        }
        Tensor labelMap = labelEmbedding.forward(labels).reshape(x.size(0), 1, height, width);
        return head.forward(features.forward(Ops.concat(1, x, labelMap)));
    }

    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("concat discriminator: needs class labels beside the images; "
                + "call forward(x, labels)");
    }
}
