package io.gan4j.models;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.nn.Module;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.train.BatchSource;
import io.gan4j.core.train.GanTrainer;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A named model of the {@link Models} registry: an architecture and its training recipe. Both are records,
 * so any hyper-parameter changes in one line, e.g.
 * {@code Models.dcgan64().withArchitecture(a -> a.withImageSize(32)).withRecipe(r -> r.withLr(1e-4f))}.
 *
 * @param <A> the architecture's type, so that its own {@code withX} methods are at hand
 */
public record GanModel<A extends GanArchitecture>(String name, A architecture, TrainingRecipe recipe) {

    public GanModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(recipe, "recipe");
    }

    /** The same model under another name (a named variant, e.g. in {@link Models}). */
    public GanModel<A> withName(String newName) {
        return new GanModel<>(newName, architecture, recipe);
    }

    public GanModel<A> withArchitecture(UnaryOperator<A> change) {
        return new GanModel<>(name, change.apply(architecture), recipe);
    }

    public GanModel<A> withRecipe(UnaryOperator<TrainingRecipe> change) {
        return new GanModel<>(name, architecture, change.apply(recipe));
    }

    public Module generator(Generator rng) {
        return architecture.generator(rng);
    }

    public Module discriminator(Generator rng) {
        return architecture.discriminator(rng);
    }

    /**
     * A trainer builder with fresh networks (generator first, then discriminator, both from {@code rng}),
     * the recipe, the data and the backend set; add callbacks and call {@code build()}. A conditional model
     * needs labelled data ({@code BatchSource.classes() > 0}).
     */
    public GanTrainer.Builder trainer(Generator rng, Backend backend, BatchSource data) {
        if (!(architecture instanceof LatentArchitecture latent)) {
            throw new UnsupportedOperationException(name + " maps images to images, not noise to images: "
                    + "GanTrainer cannot train it (for SRGAN use SrganTrainingStep)");
        }
        Module g = generator(rng);
        Module d = discriminator(rng);
        GanTrainer.Builder b = GanTrainer.builder();
        recipe.configure(b, g, d, rng);
        return b.latentPrior(recipe.latentPrior(latent.latentDim())).data(data).backend(backend).random(rng);
    }
}
