import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.data.Mnist;
import io.gan4j.core.metrics.ClassDiversity;
import io.gan4j.core.metrics.DigitClassifier;
import io.gan4j.core.metrics.DigitQuality;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import io.gan4j.core.train.GanTrainer;
import io.gan4j.core.train.ImageBatches;
import io.gan4j.models.GanModel;
import io.gan4j.models.Models;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Throwaway (not built by Maven): other ways of drawing 1,000 samples from one trained dcgan-mnist checkpoint
 * (a `gan train dcgan-mnist --batch 16 --lr 1e-3 --ema 0.995` run's checkpoint.safetensors), scored like
 * `gan train`: the truncation trick (z scaled by psi, or components beyond a threshold redrawn) and keeping the
 * quarter of 4,000 samples D rates highest (rejection by D, after Azadi et al. 2019), with the other quarters for
 * comparison. Build and run against the gan-examples jar:
 *   javac --add-modules jdk.incubator.vector -cp "gan-examples/target/gan-examples.jar:gan-examples/target/lib/*" -d DIR Sampling.java
 *   java --add-modules=jdk.incubator.vector -cp "DIR:gan-examples/target/gan-examples.jar:gan-examples/target/lib/*" Sampling CHECKPOINT
 */
public class Sampling {
    public static void main(String[] args) throws Exception {
        GanModel<?> m = Models.get("dcgan-mnist").withRecipe(r -> r.withEma(0.995f).withLr(1e-3f));
        Backend backend = Device.named("cpu");
        Generator rng = new Generator(1);
        GanTrainer t = m.trainer(rng, backend, new ImageBatches(Mnist.bundled(), 16, 0, rng, backend)).build();
        t.resume(Path.of(args[0]));
        DigitClassifier c = DigitClassifier.bundled();
        System.out.println("checkpoint " + args[0] + ", step " + t.step());
        for (int stream : new int[] {12, 13}) {
            Tensor z = Tensor.randn(backend, new Generator(1).fork(stream), 0f, 1f, 1000, 100);
            for (float psi : new float[] {1f, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f}) {
                print("noise stream " + stream + ", z scaled by " + psi, c, t.sample(z.mul(psi), null));
            }
            for (float threshold : new float[] {2f, 1.5f, 1f}) {
                float[] v = z.toArray();
                Generator redraw = new Generator(99).fork(stream);
                for (int i = 0; i < v.length; i++) {
                    while (Math.abs(v[i]) > threshold) {
                        v[i] = Tensor.randn(backend, redraw, 0f, 1f, 1).item();
                    }
                }
                print("noise stream " + stream + ", truncated at " + threshold, c,
                        t.sample(Tensor.of(backend, v, 1000, 100), null));
            }
        }
        int n = 4000;
        float[] images = t.sample(Tensor.randn(backend, new Generator(1).fork(12), 0f, 1f, n, 100), null).toArray();
        float[] logits;
        try (GradMode off = GradMode.disable()) {
            logits = t.discriminator().forward(Tensor.of(backend, images, n, 1, 28, 28)).toArray();
        }
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (x, y) -> Float.compare(logits[y], logits[x]));
        for (int from = 0; from < n; from += 1000) {
            float[] kept = new float[1000 * 784];
            for (int j = 0; j < 1000; j++) {
                System.arraycopy(images, order[from + j] * 784, kept, j * 784, 784);
            }
            print("D's ranks " + from + "-" + (from + 1000) + " of 4,000", c, Tensor.of(backend, kept, 1000, 784));
        }
    }

    private static void print(String what, DigitClassifier c, Tensor samples) {
        Tensor images = samples.reshape(1000, 1, 28, 28);
        System.out.printf(Locale.ROOT, "%s: %s | %s%n", what, DigitQuality.evaluate(c, images, null),
                ClassDiversity.againstHeldOutDigits(images, c.classify(images)));
    }
}
