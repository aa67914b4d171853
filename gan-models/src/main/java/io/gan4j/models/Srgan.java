package io.gan4j.models;

import io.gan4j.core.nn.BatchNorm2d;
import io.gan4j.core.nn.Conv2d;
import io.gan4j.core.nn.Flatten;
import io.gan4j.core.nn.LeakyReLU;
import io.gan4j.core.nn.Linear;
import io.gan4j.core.nn.Sequential;
import io.gan4j.core.tensor.Generator;

/**
 * SRGAN (Ledig et al. 2017): the {@link SrResNet} generator and the paper's discriminator (figure 4):
 * <pre>
 * Conv(c -> 64, k3, s1, p1) LReLU(0.2)
 * 7 x Conv(k3, p1) BN LReLU(0.2), widths and strides (64, s2) (128, s1) (128, s2) (256, s1) (256, s2) (512, s1) (512, s2)
 * Flatten -> Linear(512 * (hr/16)^2 -> 1024) LReLU(0.2) -> Linear(1024 -> 1)
 * </pre>
 * that is 8 convolutions, convolutions with bias, and a logit at the end (the paper's sigmoid belongs to
 * the loss). The dense head sees the flattened 512 maps, so the discriminator is built for one HR crop size
 * (96 in the paper; a multiple of 16).
 *
 * @param scale                 upscaling factor (4)
 * @param channels              image channels (3)
 * @param features              SRResNet width (64)
 * @param residualBlocks        SRResNet residual blocks (16)
 * @param discriminatorFeatures width of D's first convolution (64; doubled every second layer)
 * @param hrSize                side of the HR crops D sees (96)
 */
public record Srgan(int scale, int channels, int features, int residualBlocks, int discriminatorFeatures, int hrSize)
        implements GanArchitecture {

    public Srgan {
        if (hrSize < 16 || hrSize % 16 != 0 || hrSize % scale != 0 || discriminatorFeatures < 1) {
            throw new IllegalArgumentException("SRGAN: HR size must be a multiple of 16 and of the scale (got "
                    + hrSize + ", scale " + scale + "), discriminator width positive (got " + discriminatorFeatures + ")");
        }
    }

    /** The paper's x4 model on 96x96 RGB crops: 64 features, 16 residual blocks. */
    public static Srgan paper() {
        return new Srgan(4, 3, 64, 16, 64, 96);
    }

    public Srgan withScale(int s) {
        return new Srgan(s, channels, features, residualBlocks, discriminatorFeatures, hrSize);
    }

    public Srgan withChannels(int c) {
        return new Srgan(scale, c, features, residualBlocks, discriminatorFeatures, hrSize);
    }

    public Srgan withFeatures(int f) {
        return new Srgan(scale, channels, f, residualBlocks, discriminatorFeatures, hrSize);
    }

    public Srgan withResidualBlocks(int n) {
        return new Srgan(scale, channels, features, n, discriminatorFeatures, hrSize);
    }

    public Srgan withDiscriminatorFeatures(int f) {
        return new Srgan(scale, channels, features, residualBlocks, f, hrSize);
    }

    public Srgan withHrSize(int size) {
        return new Srgan(scale, channels, features, residualBlocks, discriminatorFeatures, size);
    }

    /** Side of the LR inputs: HR size / scale (24 in the paper). */
    public int lrSize() {
        return hrSize / scale;
    }

    @Override
    public SrResNet generator(Generator rng) {
        return new SrResNet(channels, features, residualBlocks, scale, rng);
    }

    @Override
    public Sequential discriminator(Generator rng) {
        int w = discriminatorFeatures;
        Sequential d = new Sequential(new Conv2d(channels, w, 3, 1, 1, rng), new LeakyReLU(0.2f));
        int[][] widthAndStride = {{w, 2}, {2 * w, 1}, {2 * w, 2}, {4 * w, 1}, {4 * w, 2}, {8 * w, 1}, {8 * w, 2}};
        int in = w;
        for (int[] ws : widthAndStride) {
            d.add(new Conv2d(in, ws[0], 3, ws[1], 1, rng)).add(new BatchNorm2d(ws[0])).add(new LeakyReLU(0.2f));
            in = ws[0];
        }
        int side = hrSize / 16;
        return d.add(new Flatten())
                .add(new Linear(in * side * side, 1024, rng)).add(new LeakyReLU(0.2f))
                .add(new Linear(1024, 1, rng));
    }
}
