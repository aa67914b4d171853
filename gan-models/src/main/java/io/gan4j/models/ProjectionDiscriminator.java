package io.gan4j.models;

import io.gan4j.core.nn.Embedding;
import io.gan4j.core.nn.Linear;
import io.gan4j.core.nn.Module;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;
import io.gan4j.core.train.Conditional;

/**
 * The projection discriminator of Miyato & Koyama (2018), eq. 3: {@code D(x, y) = psi(phi(x)) + <V y, phi(x)>},
 * with {@code phi} = {@code features} ({@code [N, F]}), {@code psi} = {@code head} (a linear logit) and
 * {@code V} the label embedding ({@code [classes, F]}). The label is a projection of the features, not an
 * input: the paper's argument is that this matches the form of the optimal conditional discriminator.
 */
public final class ProjectionDiscriminator extends Module implements Conditional {
    private final Module features;
    private final Linear head;
    private final Embedding labelEmbedding;

    ProjectionDiscriminator(Module features, Linear head, Embedding labelEmbedding) {
        this.features = registerModule("features", features);
        this.head = registerModule("head", head);
        this.labelEmbedding = registerModule("label_embedding", labelEmbedding);
    }

    @Override
    public Tensor forward(Tensor x, Tensor labels) {
        if (labels.dim() != 1 || labels.size(0) != x.size(0)) {
            throw new IllegalArgumentException("projection discriminator: expected labels [" + x.size(0) + "], got "
                    + Shape.str(labels.shape()));
        }
        Tensor h = features.forward(x);
        Tensor projection = labelEmbedding.forward(labels).mul(h).sum(new int[] {1}, true);   // [N, 1]
        return head.forward(h).add(projection);
    }

    @Override
    public Tensor forward(Tensor x) {
        throw new UnsupportedOperationException("projection discriminator: needs class labels beside the images; "
                + "call forward(x, labels)");
    }
}
