package io.gan4j.models;

import io.gan4j.core.nn.BatchNorm2d;
import io.gan4j.core.nn.Conv2d;
import io.gan4j.core.nn.Module;
import io.gan4j.core.nn.PReLU;
import io.gan4j.core.nn.PixelShuffle;
import io.gan4j.core.nn.Residual;
import io.gan4j.core.nn.Sequential;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * SRGAN's generator, SRResNet (Ledig et al. 2017, figure 4):
 * <pre>
 * head:      Conv(c -> 64, k9, p4) PReLU
 * residuals: 16 x [Conv(64 -> 64, k3, p1) BN PReLU Conv(64 -> 64, k3, p1) BN] + identity
 * body_tail: Conv(64 -> 64, k3, p1) BN, then + head's output (the long skip connection)
 * upsample:  log2(scale) x [Conv(64 -> 256, k3, p1) PixelShuffle(2) PReLU]
 * tail:      Conv(64 -> c, k9, p4), then tanh (HR images live in [-1, 1], as in the paper)
 * </pre>
 * Convolutions with bias, PReLU with one shared slope (0.25), PyTorch's default initialisation.
 */
public final class SrResNet extends Module {
    private final int channels;
    private final Sequential head;
    private final Sequential residuals;
    private final Sequential bodyTail;
    private final Sequential upsample;
    private final Conv2d tail;

    /** {@code scale}: 2, 4 or 8 (one x2 sub-pixel stage per factor of two). */
    public SrResNet(int channels, int features, int residualBlocks, int scale, Generator rng) {
        if (channels < 1 || features < 1 || residualBlocks < 0 || scale < 2 || Integer.bitCount(scale) != 1) {
            throw new IllegalArgumentException("SRResNet: channels " + channels + ", features " + features
                    + ", residual blocks " + residualBlocks + ", scale " + scale + " (a power of two >= 2)");
        }
        this.channels = channels;
        this.head = registerModule("head", new Sequential(new Conv2d(channels, features, 9, 1, 4, rng), new PReLU()));
        Sequential blocks = new Sequential();
        for (int i = 0; i < residualBlocks; i++) {
            blocks.add(new Residual(new Sequential(
                    new Conv2d(features, features, 3, 1, 1, rng), new BatchNorm2d(features), new PReLU(),
                    new Conv2d(features, features, 3, 1, 1, rng), new BatchNorm2d(features))));
        }
        this.residuals = registerModule("residuals", blocks);
        this.bodyTail = registerModule("body_tail", new Sequential(
                new Conv2d(features, features, 3, 1, 1, rng), new BatchNorm2d(features)));
        Sequential up = new Sequential();
        for (int s = scale; s > 1; s /= 2) {
            up.add(new Conv2d(features, features * 4, 3, 1, 1, rng)).add(new PixelShuffle(2)).add(new PReLU());
        }
        this.upsample = registerModule("upsample", up);
        this.tail = registerModule("tail", new Conv2d(features, channels, 9, 1, 4, rng));
    }

    @Override
    public Tensor forward(Tensor lowRes) {
        if (lowRes.dim() != 4 || lowRes.size(1) != channels) {
            throw new IllegalArgumentException("SRResNet: expected low-resolution images [N, " + channels
                    + ", H, W], got " + Shape.str(lowRes.shape()));
        }
        Tensor h = head.forward(lowRes);
        Tensor body = bodyTail.forward(residuals.forward(h)).add(h);
        return tail.forward(upsample.forward(body)).tanh();
    }
}
