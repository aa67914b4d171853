package io.gan4j.models;

import io.gan4j.core.nn.Module;
import io.gan4j.core.nn.Sequential;
import io.gan4j.core.tensor.Tensor;

/**
 * The DCGAN discriminator as PyTorch's DCGAN example writes it (layers in a Sequential named {@code main}),
 * returning one logit per image as {@code [N, 1]} where the example's last convolution gives
 * {@code [N, 1, 1, 1]} (and a sigmoid, which GAN4J leaves to the loss).
 */
public final class DcganDiscriminator extends Module {
    private final Sequential main;

    DcganDiscriminator(Sequential main) {
        this.main = registerModule("main", main);
    }

    public Sequential main() {
        return main;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = main.forward(x);
        return y.reshape(y.size(0), 1);
    }
}
