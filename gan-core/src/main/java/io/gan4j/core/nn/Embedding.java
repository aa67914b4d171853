package io.gan4j.core.nn;

import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * A lookup table of {@code num} vectors of size {@code dim} (PyTorch's nn.Embedding, weight {@code [num, dim]},
 * initialised {@code N(0, 1)}): the class embedding of conditional GANs. The input holds class indices stored
 * as floats, any shape {@code [*]}; the output is {@code [*, dim]}. The lookup is computed as one-hot rows times
 * the weight, a matrix product, so that it is differentiable to any order.
 */
public final class Embedding extends Module implements WeightedLayer {
    private final int numEmbeddings;
    private final int embeddingDim;

    public Embedding(int numEmbeddings, int embeddingDim, Generator gen) {
        if (numEmbeddings < 1 || embeddingDim < 1) {
            throw new IllegalArgumentException("Embedding: invalid settings num_embeddings=" + numEmbeddings
                    + " embedding_dim=" + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        Init.normal(registerParameter("weight", persistentZeros(numEmbeddings, embeddingDim)), 0f, 1f, gen);
    }

    public Tensor weight() {
        return parameter("weight");
    }

    @Override
    public Tensor forward(Tensor indices) {
        return forwardWithWeight(indices, weight());
    }

    @Override
    public Tensor forwardWithWeight(Tensor indices, Tensor weight) {
        float[] idx = indices.toArray();
        float[] oneHot = new float[idx.length * numEmbeddings];
        for (int i = 0; i < idx.length; i++) {
            float v = idx[i];
            if (v != Math.rint(v) || v < 0 || v >= numEmbeddings) {
                throw new IllegalArgumentException(this + ": index " + v + " at position " + i + " of input "
                        + Shape.str(indices.shape()) + " is not an integer in [0, " + numEmbeddings + ")");
            }
            oneHot[i * numEmbeddings + (int) v] = 1f;
        }
        Tensor rows = Tensor.of(indices.backend(), oneHot, idx.length, numEmbeddings).matmul(weight);
        int[] s = indices.shape();
        int[] out = java.util.Arrays.copyOf(s, s.length + 1);
        out[s.length] = embeddingDim;
        return rows.reshape(out);
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim;
    }
}
