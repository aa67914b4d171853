package io.gan4j.models;

import io.gan4j.core.nn.Module;
import io.gan4j.core.tensor.Generator;

/**
 * The two networks of a GAN, built from gan-core layers with the hyper-parameters of a paper. Building
 * draws every initial weight from {@code rng}, so one seed gives the same networks every time.
 */
public interface GanArchitecture {

    Module generator(Generator rng);

    Module discriminator(Generator rng);
}
