package io.gan4j.models;

import io.gan4j.core.nn.Embedding;
import io.gan4j.core.nn.Init;
import io.gan4j.core.nn.Linear;
import io.gan4j.core.nn.Module;
import io.gan4j.core.tensor.Generator;

/**
 * A class-conditional GAN ({@code cgan-mnist}) on the {@link DcganMnist} networks. G: the label's embedding
 * ({@code embeddingDim}, 50 by default) joined to z (Mirza & Osindero 2014), then dcgan-mnist's generator
 * from {@code z + embeddingDim} inputs. D: dcgan-mnist's discriminator with the label either as an extra
 * input channel ({@link DiscriminatorConditioning#CONCAT}) or projected onto its 6272 features
 * ({@link DiscriminatorConditioning#PROJECTION}, Miyato & Koyama 2018). Convolutions and linear layers
 * N(0, 0.02) as in DCGAN; G's embedding N(0, 1) as PyTorch's, the
 * projection's Glorot uniform as in Miyato & Koyama's code.
 *
 * @param imageSize    side of the square images (28)
 * @param channels     image channels (1)
 * @param latentDim    size of z (100)
 * @param classes      number of classes (10)
 * @param embeddingDim size of G's label embedding (50)
 * @param conditioning how D sees the label
 */
public record ConditionalGan(int imageSize, int channels, int latentDim, int classes, int embeddingDim,
                             DiscriminatorConditioning conditioning) implements LatentArchitecture {

    public ConditionalGan {
        if (classes < 2 || embeddingDim < 1 || conditioning == null) {
            throw new IllegalArgumentException("conditional GAN: needs >= 2 classes (got " + classes
                    + "), a positive embedding size (got " + embeddingDim + ") and a conditioning");
        }
        base(imageSize, channels, latentDim);   // validates the rest
    }

    /** MNIST digits: 28x28x1, z = 100, 10 classes, a 50-dimensional label embedding, projection D. */
    public static ConditionalGan mnist() {
        return new ConditionalGan(28, 1, 100, 10, 50, DiscriminatorConditioning.PROJECTION);
    }

    public ConditionalGan withConditioning(DiscriminatorConditioning c) {
        return new ConditionalGan(imageSize, channels, latentDim, classes, embeddingDim, c);
    }

    public ConditionalGan withImageSize(int size) {
        return new ConditionalGan(size, channels, latentDim, classes, embeddingDim, conditioning);
    }

    public ConditionalGan withChannels(int c) {
        return new ConditionalGan(imageSize, c, latentDim, classes, embeddingDim, conditioning);
    }

    public ConditionalGan withClasses(int n) {
        return new ConditionalGan(imageSize, channels, latentDim, n, embeddingDim, conditioning);
    }

    public ConditionalGan withEmbeddingDim(int dim) {
        return new ConditionalGan(imageSize, channels, latentDim, classes, dim, conditioning);
    }

    private static DcganMnist base(int imageSize, int channels, int latentDim) {
        return new DcganMnist(imageSize, channels, latentDim);
    }

    @Override
    public ConditionalGenerator generator(Generator rng) {
        DcganMnist base = base(imageSize, channels, latentDim);
        Embedding embedding = new Embedding(classes, embeddingDim, rng);
        return Init.dcgan(new ConditionalGenerator(latentDim, embedding, classes,
                base.generatorBody(latentDim + embeddingDim, rng)), rng);
    }

    @Override
    public Module discriminator(Generator rng) {
        DcganMnist base = base(imageSize, channels, latentDim);
        if (conditioning == DiscriminatorConditioning.CONCAT) {
            Embedding labelMap = new Embedding(classes, imageSize * imageSize, rng);
            return Init.dcgan(new ConcatDiscriminator(imageSize, imageSize, labelMap,
                    base.discriminatorFeatures(channels + 1, rng), new Linear(base.featureSize(), 1, rng)), rng);
        }
        // V as in Miyato & Koyama's code (Glorot uniform): N(0, 1) rows over 6272 features would give logits
        // in the tens at the first step
        Embedding projection = new Embedding(classes, base.featureSize(), rng);
        Init.xavierUniform(projection.weight(), 1.0, rng);
        return Init.dcgan(new ProjectionDiscriminator(base.discriminatorFeatures(channels, rng),
                new Linear(base.featureSize(), 1, rng), projection), rng);
    }
}
