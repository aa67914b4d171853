package io.gan4j.models;

import io.gan4j.core.nn.LeakyReLU;
import io.gan4j.core.nn.Linear;
import io.gan4j.core.nn.Module;
import io.gan4j.core.nn.ReLU;
import io.gan4j.core.nn.Sequential;
import io.gan4j.core.nn.Tanh;
import io.gan4j.core.tensor.Generator;

/**
 * The Vanilla GAN of Goodfellow et al. (2014): multilayer perceptrons for both networks, trained on flat
 * data (2-D toy mixtures, flattened 28x28 images). The generator maps noise through ReLU layers to the
 * data (with a tanh output for images in [-1, 1], linear for unbounded toy data); the discriminator
 * uses LeakyReLU(0.2) layers (the paper's maxout units are replaced, as in most re-implementations) and
 * ends in one logit, never a sigmoid (the losses take logits).
 *
 * @param latentDim  size of the noise vector z
 * @param dataDim    size of a flat sample (2 for the toy mixtures, 784 for MNIST)
 * @param hidden     width of every hidden layer
 * @param layers     number of hidden layers in each network
 * @param tanhOutput whether the generator ends in tanh (images) or is linear (unbounded data)
 */
public record VanillaGan(int latentDim, int dataDim, int hidden, int layers, boolean tanhOutput)
        implements LatentArchitecture {

    public VanillaGan {
        if (latentDim < 1 || dataDim < 1 || hidden < 1 || layers < 1) {
            throw new IllegalArgumentException("vanilla GAN: sizes must be positive (latent " + latentDim + ", data "
                    + dataDim + ", hidden " + hidden + ", layers " + layers + ")");
        }
    }

    /** The toy-mixture configuration: z of 16, 2-D data, 3 hidden layers of 128. */
    public static VanillaGan toy2d() {
        return new VanillaGan(16, 2, 128, 3, false);
    }

    /** For flattened 28x28 MNIST: z of 100, 2 hidden layers of 512, tanh output. */
    public static VanillaGan mnist() {
        return new VanillaGan(100, 784, 512, 2, true);
    }

    public VanillaGan withHidden(int width) {
        return new VanillaGan(latentDim, dataDim, width, layers, tanhOutput);
    }

    public VanillaGan withLatentDim(int dim) {
        return new VanillaGan(dim, dataDim, hidden, layers, tanhOutput);
    }

    @Override
    public Sequential generator(Generator gen) {
        Sequential g = new Sequential();
        int in = latentDim;
        for (int i = 0; i < layers; i++) {
            g.add(new Linear(in, hidden, gen)).add(new ReLU());
            in = hidden;
        }
        g.add(new Linear(in, dataDim, gen));
        if (tanhOutput) {
            g.add(new Tanh());
        }
        return g;
    }

    @Override
    public Module discriminator(Generator gen) {
        Sequential d = new Sequential();
        int in = dataDim;
        for (int i = 0; i < layers; i++) {
            d.add(new Linear(in, hidden, gen)).add(new LeakyReLU(0.2f));
            in = hidden;
        }
        d.add(new Linear(in, 1, gen));
        return d;
    }
}
