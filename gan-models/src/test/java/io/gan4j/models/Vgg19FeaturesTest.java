package io.gan4j.models;

import io.gan4j.core.io.Checkpoint;
import io.gan4j.core.io.CheckpointException;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** VGG19 features for SRGAN's content loss: torchvision's layout, and loading with clear errors. */
class Vgg19FeaturesTest {
    private static final int[] SMALL = {4, 8, 8, 8, 8};

    @Test
    void fullNetworkHasTorchvisionsLayout() {
        Vgg19Features vgg = new Vgg19Features(Vgg19Features.TORCHVISION_WIDTHS, "relu5_4", new Generator(1));
        // torchvision vgg19: 143,667,240 parameters, of which the classifier holds 25088*4096+4096 +
        // 4096*4096+4096 + 4096*1000+1000 = 123,642,856; features = 20,024,384 (all 16 convs used by VGG54)
        assertEquals(20_024_384, vgg.parameterCount());
        // torchvision indices: conv1_1 = 0, conv5_4 = 34, relu5_4 = 35 (pool5 = 36 is left out)
        assertTrue(vgg.stateDict().containsKey("features.0.weight"));
        assertTrue(vgg.stateDict().containsKey("features.34.bias"));
        assertEquals(32, vgg.stateDict().size());
        assertArrayEquals(new int[] {512, 512, 3, 3}, vgg.stateDict().get("features.34.weight").shape());
        // VGG22 (relu2_2 = index 8): conv1_1, conv1_2, conv2_1, conv2_2
        assertTrue(new Vgg19Features(Vgg19Features.TORCHVISION_WIDTHS, "relu2_2", new Generator(1)).stateDict()
                .containsKey("features.7.weight"));
        assertThrows(IllegalArgumentException.class, () -> new Vgg19Features(SMALL, "relu6_1", new Generator(1)));
    }

    @Test
    void loadsWeightsAndIgnoresTheClassifier(@TempDir Path dir) throws Exception {
        Vgg19Features source = new Vgg19Features(SMALL, "relu5_4", new Generator(1));
        Path file = dir.resolve("vgg.safetensors");
        new Checkpoint().putAll("", source.stateDict())
                .put("classifier.0.weight", Tensor.ones(2, 2)).save(file);
        Vgg19Features vgg = new Vgg19Features(SMALL, "relu5_4", new Generator(2));
        vgg.loadWeights(file);
        for (Map.Entry<String, Tensor> e : source.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), vgg.stateDict().get(e.getKey()).toArray(), 0f, e.getKey());
        }
        assertFalse(vgg.isTraining(), "a fixed feature extractor");
        assertTrue(vgg.parameters().stream().noneMatch(Tensor::requiresGrad), "frozen");
        assertArrayEquals(new int[] {2, 8, 1, 1}, vgg.forward(Tensor.zeros(2, 3, 16, 16)).shape());
    }

    @Test
    void missingTensorWrongShapeAndMissingFileAreClearErrors(@TempDir Path dir) throws Exception {
        Map<String, Tensor> state = new LinkedHashMap<>(new Vgg19Features(SMALL, "relu5_4", new Generator(1)).stateDict());
        state.remove("features.2.weight");
        Path missing = dir.resolve("missing.safetensors");
        new Checkpoint().putAll("", state).save(missing);
        Vgg19Features vgg = new Vgg19Features(SMALL, "relu5_4", new Generator(2));
        float[] before = vgg.stateDict().get("features.0.weight").toArray();
        CheckpointException e = assertThrows(CheckpointException.class, () -> vgg.loadWeights(missing));
        assertTrue(e.getMessage().contains("missing.safetensors") && e.getMessage().contains("features.2.weight")
                && e.getMessage().contains("[4, 4, 3, 3]"), e.getMessage());
        assertArrayEquals(before, vgg.stateDict().get("features.0.weight").toArray(), 0f, "nothing half-loaded");

        // the full-size network against a file made for the small one: shape mismatch, named
        Path small = dir.resolve("small.safetensors");
        new Checkpoint().putAll("", new Vgg19Features(SMALL, "relu5_4", new Generator(1)).stateDict()).save(small);
        CheckpointException shape = assertThrows(CheckpointException.class, () -> Vgg19Features.load(small, "relu2_2"));
        assertTrue(shape.getMessage().contains("features.0.weight") && shape.getMessage().contains("[64, 3, 3, 3]"),
                shape.getMessage());

        NoSuchFileException none = assertThrows(NoSuchFileException.class,
                () -> Vgg19Features.load(dir.resolve("vgg19.safetensors"), "relu5_4"));
        assertTrue(none.getMessage().contains("vgg19.safetensors") && none.getMessage().contains("downloads nothing"),
                none.getMessage());
    }

    @Test
    void contentLossIsZeroForEqualImagesAndDifferentiable() {
        Vgg19Features vgg = new Vgg19Features(SMALL, "relu2_2", new Generator(3));
        VggContentLoss loss = new VggContentLoss(vgg);
        Tensor hr = Tensor.rand(new Generator(4), 2, 3, 8, 8).mul(2f).sub(1f);
        assertEquals(0f, loss.loss(hr, hr).item(), 0f);
        Tensor sr = Tensor.rand(new Generator(5), 2, 3, 8, 8).requiresGrad(true);
        Tensor l = loss.loss(sr, hr);
        assertTrue(l.item() > 0);
        l.backward();
        assertArrayEquals(sr.shape(), sr.grad().shape());
    }
}
