package io.gan4j.models;

import io.gan4j.core.nn.BatchNorm1d;
import io.gan4j.core.nn.BatchNorm2d;
import io.gan4j.core.nn.Conv2d;
import io.gan4j.core.nn.ConvTranspose2d;
import io.gan4j.core.nn.Flatten;
import io.gan4j.core.nn.Init;
import io.gan4j.core.nn.LeakyReLU;
import io.gan4j.core.nn.Linear;
import io.gan4j.core.nn.ReLU;
import io.gan4j.core.nn.Reshape;
import io.gan4j.core.nn.Sequential;
import io.gan4j.core.nn.Tanh;
import io.gan4j.core.tensor.Generator;

/**
 * The {@code dcgan-mnist} workload of DESIGN.md (the networks of TensorFlow's DCGAN tutorial, with ReLU in
 * the generator as in Radford et al.). For 28x28x1 and z = 100:
 * <pre>
 * G: Linear(100 -> 7*7*256, no bias) BN ReLU -> Reshape(256, 7, 7)
 *    -> ConvT(256 -> 128, k5, s1, p2) BN ReLU -> ConvT(128 -> 64, k5, s2, p2, op1) BN ReLU
 *    -> ConvT(64 -> 1, k5, s2, p2, op1) tanh                      (every ConvT without bias)
 * D: Conv(1 -> 64, k5, s2, p2) LReLU(0.2) -> Conv(64 -> 128, k5, s2, p2) LReLU(0.2) -> Linear(6272 -> 1)
 * </pre>
 * Both initialised N(0, 0.02). The generator starts at a quarter of the image side, so the side must be a
 * multiple of 4. D ends in a logit, never a sigmoid: the losses take logits.
 *
 * @param imageSize side of the square images (28 for MNIST)
 * @param channels  image channels (1 for MNIST)
 * @param latentDim size of z (100)
 */
public record DcganMnist(int imageSize, int channels, int latentDim) implements LatentArchitecture {

    public DcganMnist {
        if (imageSize < 4 || imageSize % 4 != 0 || channels < 1 || latentDim < 1) {
            throw new IllegalArgumentException("dcgan-mnist: image size must be a positive multiple of 4 (got "
                    + imageSize + "), channels (" + channels + ") and latent size (" + latentDim + ") positive");
        }
    }

    /** 28x28x1, z = 100, as in DESIGN.md. */
    public static DcganMnist paper() {
        return new DcganMnist(28, 1, 100);
    }

    public DcganMnist withImageSize(int size) {
        return new DcganMnist(size, channels, latentDim);
    }

    public DcganMnist withChannels(int c) {
        return new DcganMnist(imageSize, c, latentDim);
    }

    public DcganMnist withLatentDim(int dim) {
        return new DcganMnist(imageSize, channels, dim);
    }

    /** The side of the first feature map (7 for 28x28). */
    int startSize() {
        return imageSize / 4;
    }

    @Override
    public Sequential generator(Generator rng) {
        return Init.dcgan(generatorBody(latentDim, rng), rng);
    }

    /** G from an input of {@code inputDim} features (the conditional GAN adds the label embedding's size). */
    Sequential generatorBody(int inputDim, Generator rng) {
        int s = startSize();
        return new Sequential(
                new Linear(inputDim, s * s * 256, false, rng), new BatchNorm1d(s * s * 256), new ReLU(),
                new Reshape(256, s, s),
                new ConvTranspose2d(256, 128, 5, 1, 2, 0, false, rng), new BatchNorm2d(128), new ReLU(),
                new ConvTranspose2d(128, 64, 5, 2, 2, 1, false, rng), new BatchNorm2d(64), new ReLU(),
                new ConvTranspose2d(64, channels, 5, 2, 2, 1, false, rng), new Tanh());
    }

    @Override
    public Sequential discriminator(Generator rng) {
        Sequential d = discriminatorFeatures(channels, rng);
        d.add(new Linear(featureSize(), 1, rng));
        return Init.dcgan(d, rng);
    }

    /** D without its head, flattened: {@code [N, inputChannels, H, W] -> [N, featureSize()]}. */
    Sequential discriminatorFeatures(int inputChannels, Generator rng) {
        return new Sequential(
                new Conv2d(inputChannels, 64, 5, 2, 2, rng), new LeakyReLU(0.2f),
                new Conv2d(64, 128, 5, 2, 2, rng), new LeakyReLU(0.2f),
                new Flatten());
    }

    /** Features before D's linear head: 128 maps of a quarter of the side (6272 for 28x28). */
    int featureSize() {
        return 128 * startSize() * startSize();
    }
}
