package io.gan4j.models;

import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.loss.Losses;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * SRGAN's VGG content loss (Ledig et al. 2017, eq. 5): the mean squared distance between VGG19 features of
 * the super-resolved image and of the real HR image. Images in [-1, 1] are first mapped to [0, 1] and
 * normalised with ImageNet's channel mean and deviation, as torchvision's VGG expects.
 *
 * <p>{@code scale} multiplies the loss: the paper rescales the feature maps by 1/12.75, which multiplies
 * the squared distance by 1/12.75^2 = 0.00615 (0.006 in the usual re-implementations).
 */
public final class VggContentLoss {
    /** (1 / 12.75)^2, the paper's rescaling of the feature maps, on the squared distance. */
    public static final float PAPER_SCALE = (float) (1 / (12.75 * 12.75));
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private final Vgg19Features vgg;
    private final float scale;

    public VggContentLoss(Vgg19Features vgg) {
        this(vgg, PAPER_SCALE);
    }

    public VggContentLoss(Vgg19Features vgg, float scale) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("VGG content loss: scale must be > 0, got " + scale);
        }
        this.vgg = vgg;
        this.scale = scale;
    }

    /** The loss; gradients reach {@code superResolved} only (the targets' features are constants). */
    public Tensor loss(Tensor superResolved, Tensor highRes) {
        Tensor target;
        try (GradMode off = GradMode.disable()) {
            target = vgg.forward(normalize(highRes)).detach();
        }
        return Losses.mse(vgg.forward(normalize(superResolved)), target).mul(scale);
    }

    /** {@code [-1, 1]} RGB to ImageNet-normalised input. */
    private static Tensor normalize(Tensor x) {
        if (x.dim() != 4 || x.size(1) != 3) {
            throw new IllegalArgumentException("VGG content loss: expected RGB images [N, 3, H, W] in [-1, 1], got "
                    + Shape.str(x.shape()));
        }
        float[] a = new float[3];
        float[] b = new float[3];
        for (int c = 0; c < 3; c++) {
            // ((x + 1) / 2 - mean) / std = x * a + b
            a[c] = 0.5f / IMAGENET_STD[c];
            b[c] = (0.5f - IMAGENET_MEAN[c]) / IMAGENET_STD[c];
        }
        return x.mul(Tensor.of(x.backend(), a, 1, 3, 1, 1)).add(Tensor.of(x.backend(), b, 1, 3, 1, 1));
    }
}
