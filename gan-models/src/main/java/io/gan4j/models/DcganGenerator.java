package io.gan4j.models;

import io.gan4j.core.nn.Module;
import io.gan4j.core.nn.Sequential;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * The DCGAN generator as PyTorch's DCGAN example writes it: the layers in a Sequential named {@code main}
 * (so a state dict reads {@code main.0.weight}, ... and loads into the PyTorch model as it is), fed with
 * {@code z} viewed as {@code [N, z, 1, 1]}. Takes {@code [N, z]}, the trainer's noise.
 */
public final class DcganGenerator extends Module {
    private final int latentDim;
    private final Sequential main;

    DcganGenerator(int latentDim, Sequential main) {
        this.latentDim = latentDim;
        this.main = registerModule("main", main);
    }

    public Sequential main() {
        return main;
    }

    @Override
    public Tensor forward(Tensor z) {
        if (z.dim() != 2 || z.size(1) != latentDim) {
            throw new IllegalArgumentException("DCGAN generator: expected noise [N, " + latentDim + "], got "
                    + Shape.str(z.shape()));
        }
        return main.forward(z.reshape(z.size(0), latentDim, 1, 1));
    }
}
