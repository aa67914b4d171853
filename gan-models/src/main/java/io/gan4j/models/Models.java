package io.gan4j.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The registry: every model by name, with its paper's architecture and training recipe. Pick one with
 * {@link #get} (the command line's {@code --model}), or with the typed factories, whose result keeps the
 * architecture's own {@code withX} methods:
 * <pre>
 * GanModel&lt;Dcgan&gt; m = Models.dcgan64().withArchitecture(a -> a.withImageSize(32)).withRecipe(r -> r.withNCritic(2));
 * GanTrainer t = m.trainer(rng, backend, data).build();
 * </pre>
 */
public final class Models {
    private static final Map<String, Supplier<GanModel<?>>> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put("vanilla", Models::vanilla);
        REGISTRY.put("dcgan-mnist", Models::dcganMnist);
        REGISTRY.put("dcgan-64", Models::dcgan64);
        REGISTRY.put("cgan-mnist", Models::cganMnist);
        REGISTRY.put("cgan-mnist-concat", Models::cganMnistConcat);
        REGISTRY.put("wgan-gp", Models::wganGp);
        REGISTRY.put("sngan-hinge", Models::snganHinge);
        REGISTRY.put("srgan", Models::srgan);
    }

    private Models() {
    }

    /** The registered names, in a stable order. */
    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /** The model of that name with its paper's settings. */
    public static GanModel<?> get(String name) {
        Supplier<GanModel<?>> m = REGISTRY.get(name.toLowerCase(Locale.ROOT));
        if (m == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; expected one of " + names());
        }
        return m.get();
    }

    /** Goodfellow et al. 2014 on flattened MNIST: MLPs, non-saturating loss, DCGAN's Adam settings. */
    public static GanModel<VanillaGan> vanilla() {
        return new GanModel<>("vanilla", VanillaGan.mnist(), TrainingRecipe.dcgan());
    }

    /** DESIGN.md's dcgan-mnist: 28x28x1, z = 100, Adam(2e-4, 0.5, 0.999). */
    public static GanModel<DcganMnist> dcganMnist() {
        return new GanModel<>("dcgan-mnist", DcganMnist.paper(), TrainingRecipe.dcgan());
    }

    /** Radford et al.'s 64x64x3 DCGAN (PyTorch's DCGAN example), Adam(2e-4, 0.5, 0.999). */
    public static GanModel<Dcgan> dcgan64() {
        return new GanModel<>("dcgan-64", Dcgan.paper64(), TrainingRecipe.dcgan());
    }

    /** Class-conditional dcgan-mnist with a projection discriminator (Miyato & Koyama 2018). */
    public static GanModel<ConditionalGan> cganMnist() {
        return new GanModel<>("cgan-mnist", ConditionalGan.mnist(), TrainingRecipe.dcgan());
    }

    /** Class-conditional dcgan-mnist with the label concatenated to D's input (Mirza & Osindero 2014). */
    public static GanModel<ConditionalGan> cganMnistConcat() {
        return new GanModel<>("cgan-mnist-concat", ConditionalGan.mnist().withConditioning(DiscriminatorConditioning.CONCAT),
                TrainingRecipe.dcgan());
    }

    /**
     * Gulrajani et al. 2017 on the 64x64 DCGAN networks, the critic without batch norm: Wasserstein loss,
     * gradient penalty 10, 5 critic steps, Adam(1e-4, 0, 0.9).
     */
    public static GanModel<Dcgan> wganGp() {
        return new GanModel<>("wgan-gp", Dcgan.paper64().withNorm(DiscriminatorNorm.NONE), TrainingRecipe.wganGp());
    }

    /**
     * WGAN-GP's variant with the hinge loss and spectral norm in place of the penalty (Miyato et al. 2018);
     * the rest of the recipe is WGAN-GP's. The same change on any model, in one line:
     * {@code m.withArchitecture(a -> a.withNorm(SPECTRAL_NORM)).withRecipe(r -> r.withLoss("hinge").withGradientPenalty(0))}.
     */
    public static GanModel<Dcgan> snganHinge() {
        return wganGp().withName("sngan-hinge").withArchitecture(a -> a.withNorm(DiscriminatorNorm.SPECTRAL_NORM))
                .withRecipe(r -> r.withLoss("hinge").withGradientPenalty(0f));
    }

    /** Ledig et al. 2017: SRResNet x4 and the 8-convolution discriminator, Adam(1e-4, 0.9, 0.999). */
    public static GanModel<Srgan> srgan() {
        return new GanModel<>("srgan", Srgan.paper(), TrainingRecipe.srgan());
    }
}
