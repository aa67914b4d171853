package io.gan4j.models;

import io.gan4j.core.io.Checkpoint;
import io.gan4j.core.nn.Conv2d;
import io.gan4j.core.nn.Module;
import io.gan4j.core.nn.ReLU;
import io.gan4j.core.nn.Sequential;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The convolutional part of VGG19 (Simonyan & Zisserman 2015, configuration E) up to a chosen layer, laid out
 * exactly as torchvision's {@code vgg19().features}: a Sequential named {@code features} whose indices are
 * torchvision's (conv at 0, 2, 5, 7, ..., ReLU after each, max pools at 4, 9, 18, 27, 36), so the tensors
 * are {@code features.0.weight}, {@code features.0.bias}, ... as in torchvision's state dict.
 *
 * <p>SRGAN's content loss compares features of a frozen, ImageNet-trained VGG19; GAN4J downloads nothing:
 * the weights come from a safetensors file the user makes once, e.g.
 * <pre>
 * python -c "import torchvision, safetensors.torch as st; m = torchvision.models.vgg19(weights='IMAGENET1K_V1');
 *            st.save_file({k: v for k, v in m.state_dict().items() if k.startswith('features.')}, 'vgg19.safetensors')"
 * </pre>
 * (a file holding the classifier too loads as well; extra tensors are ignored).
 */
public final class Vgg19Features extends Module {
    /** torchvision's block widths of VGG19. */
    public static final int[] TORCHVISION_WIDTHS = {64, 128, 256, 512, 512};
    private static final int[] CONVS_PER_BLOCK = {2, 2, 4, 4, 4};

    private final Sequential features;
    private final String lastLayer;

    /**
     * VGG19 of the given five block widths (torchvision's for the real weights; smaller ones for tests), up
     * to and including {@code lastLayer}, a torchvision-style name such as {@code "relu5_4"} (SRGAN's
     * VGG54), {@code "relu2_2"} (VGG22), {@code "conv5_4"} or {@code "pool4"}. Weights are frozen (no
     * gradient) and the module is in evaluation mode; {@code rng} only fills them until {@link #loadWeights}.
     */
    public Vgg19Features(int[] widths, String lastLayer, Generator rng) {
        if (widths.length != 5 || Arrays.stream(widths).anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException("VGG19: expected 5 positive block widths, got " + Arrays.toString(widths));
        }
        List<String> names = layerNames();
        int last = names.indexOf(lastLayer);
        if (last < 0) {
            throw new IllegalArgumentException("VGG19: unknown layer '" + lastLayer + "'; expected one of " + names);
        }
        this.lastLayer = lastLayer;
        Sequential seq = new Sequential();
        int in = 3;
        for (int b = 0; b < 5 && seq.size() <= last; b++) {
            for (int i = 0; i < CONVS_PER_BLOCK[b] && seq.size() <= last; i++) {
                seq.add(new Conv2d(in, widths[b], 3, 1, 1, rng));
                in = widths[b];
                if (seq.size() <= last) {
                    seq.add(new ReLU());
                }
            }
            if (seq.size() <= last) {
                seq.add(new MaxPool2d(2));
            }
        }
        this.features = registerModule("features", seq);
        for (Tensor p : parameters()) {
            p.requiresGrad(false);
        }
        eval();
    }

    /** torchvision's VGG19 up to {@code lastLayer} with the weights of {@code file} (see the class comment). */
    public static Vgg19Features load(Path file, String lastLayer) throws IOException {
        Vgg19Features vgg = new Vgg19Features(TORCHVISION_WIDTHS, lastLayer, new Generator(0));
        vgg.loadWeights(file);
        return vgg;
    }

    /** The layer names in torchvision's index order: conv1_1, relu1_1, conv1_2, relu1_2, pool1, conv2_1, ... */
    public static List<String> layerNames() {
        List<String> names = new java.util.ArrayList<>();
        for (int b = 0; b < 5; b++) {
            for (int i = 1; i <= CONVS_PER_BLOCK[b]; i++) {
                names.add("conv" + (b + 1) + "_" + i);
                names.add("relu" + (b + 1) + "_" + i);
            }
            names.add("pool" + (b + 1));
        }
        return names;
    }

    public String lastLayer() {
        return lastLayer;
    }

    /**
     * Copies this network's tensors from a safetensors file with torchvision's names. Every tensor this
     * network has must be in the file with its shape; otherwise a {@link io.gan4j.core.io.CheckpointException}
     * names the file, the tensor and the expected shape, and nothing is changed.
     */
    public void loadWeights(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "VGG19 weights not found: GAN4J downloads nothing; "
                    + "export torchvision's vgg19 features to this safetensors file (see Vgg19Features' documentation)");
        }
        Map<String, int[]> expected = new LinkedHashMap<>();
        stateDict().forEach((name, t) -> expected.put(name, t.shape()));
        try (MemoryScope scope = MemoryScope.open()) {
            Checkpoint c = Checkpoint.load(file, parameters().get(0).backend(), expected);
            Map<String, Tensor> wanted = new LinkedHashMap<>();
            expected.keySet().forEach(name -> wanted.put(name, c.tensor(name)));
            loadStateDict(wanted);
            c.tensors().values().forEach(Tensor::close);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return features.forward(x);
    }

    /** Keeps the network in evaluation mode: it is a fixed feature extractor, never trained. */
    @Override
    public Module train(boolean on) {
        return super.train(false);
    }
}
