import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.data.Mnist;
import io.gan4j.core.metrics.DigitClassifier;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import io.gan4j.core.train.GanTrainer;
import io.gan4j.core.train.ImageBatches;
import io.gan4j.models.GanModel;
import io.gan4j.models.Models;
import java.nio.file.Path;

/**
 * Throwaway (not built by Maven): which digits a trained dcgan-mnist checkpoint draws and which of them the
 * classifier is unsure of. For 2 x 1,000 samples of the EMA generator (noise streams 12 and 13, as in
 * Sampling.java), per predicted digit: how many, how many confident (p >= 0.9), the mean top probability, and for
 * the unconfident ones the runner-up digit. Build and run against the gan-examples jar:
 *   javac --add-modules jdk.incubator.vector -cp "gan-examples/target/gan-examples.jar:gan-examples/target/lib/*" -d DIR ClassMix.java
 *   java --add-modules=jdk.incubator.vector -cp "DIR:gan-examples/target/gan-examples.jar:gan-examples/target/lib/*" ClassMix CHECKPOINT
 */
public class ClassMix {
    public static void main(String[] args) throws Exception {
        GanModel<?> m = Models.get("dcgan-mnist").withRecipe(r -> r.withEma(0.995f).withLr(1e-3f));
        Backend backend = Device.named("cpu");
        Generator rng = new Generator(1);
        GanTrainer t = m.trainer(rng, backend, new ImageBatches(Mnist.bundled(), 16, 0, rng, backend)).build();
        t.resume(Path.of(args[0]));
        DigitClassifier c = DigitClassifier.bundled();
        int[] n = new int[10], conf = new int[10];
        double[] top = new double[10];
        int[][] pair = new int[10][10];
        for (int stream : new int[] {12, 13}) {
            Tensor z = Tensor.randn(backend, new Generator(1).fork(stream), 0f, 1f, 1000, 100);
            float[] p = c.predict(t.sample(z, null)).toArray();
            for (int i = 0; i < 1000; i++) {
                int a = 0, b = -1;
                for (int k = 1; k < 10; k++) if (p[i * 10 + k] > p[i * 10 + a]) a = k;
                for (int k = 0; k < 10; k++) if (k != a && (b < 0 || p[i * 10 + k] > p[i * 10 + b])) b = k;
                n[a]++; top[a] += p[i * 10 + a];
                if (p[i * 10 + a] >= 0.9f) conf[a]++; else pair[a][b]++;
            }
        }
        System.out.println("checkpoint " + args[0] + ", step " + t.step() + ", 2 x 1,000 samples (noise streams 12, 13)");
        System.out.println("digit  predicted  confident  mean top p  unconfident ones' runner-up digits");
        for (int k = 0; k < 10; k++) {
            StringBuilder sb = new StringBuilder();
            for (int b = 0; b < 10; b++) if (pair[k][b] > 0) sb.append(b).append(':').append(pair[k][b]).append(' ');
            System.out.printf("%5d  %9d  %9d  %10.3f  %s%n", k, n[k], conf[k], top[k] / Math.max(1, n[k]), sb.toString().trim());
        }
    }
}
