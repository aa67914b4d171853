import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.io.ImageGrid;
import io.gan4j.core.metrics.ClassDiversity;
import io.gan4j.core.metrics.DigitClassifier;
import io.gan4j.core.metrics.DigitQuality;
import io.gan4j.core.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Scores 1,000 samples written by {@code dcgan_mnist.py quality} (raw little-endian float32, [1000, 784], in
 * [-1, 1]) with gan4j's digit classifier, as {@code gan train} scores its own samples, and writes the first 64
 * as an 8 x 8 grid beside each file ({@code FILE.png}). Not built by Maven:
 * <pre>
 * javac -cp "gan-examples/target/gan-examples.jar:gan-examples/target/lib/*" -d /tmp/score docs/bench/pytorch/ScoreSamples.java
 * java --add-modules=jdk.incubator.vector -cp "/tmp/score:gan-examples/target/gan-examples.jar:gan-examples/target/lib/*" ScoreSamples FILE...
 * </pre>
 */
public class ScoreSamples {
    private static final int SAMPLES = 1000;
    private static final int PIXELS = 28 * 28;

    public static void main(String[] files) throws IOException {
        Backend backend = Device.cpu();
        try (DigitClassifier classifier = DigitClassifier.bundled()) {
            for (String file : files) {
                byte[] bytes = Files.readAllBytes(Path.of(file));
                if (bytes.length != SAMPLES * PIXELS * Float.BYTES) {
                    throw new IOException(file + ": expected " + SAMPLES * PIXELS * Float.BYTES + " bytes (float32 ["
                            + SAMPLES + ", " + PIXELS + "]), found " + bytes.length);
                }
                float[] pixels = new float[SAMPLES * PIXELS];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(pixels);
                Tensor images = Tensor.of(backend, pixels, SAMPLES, 1, 28, 28);
                ImageGrid.writePng(images.slice(0, 64), 8, Path.of(file + ".png"));
                System.out.println(file + ": " + DigitQuality.evaluate(classifier, images, null) + " | "
                        + ClassDiversity.againstHeldOutDigits(images, classifier.classify(images)));
            }
        }
    }
}
