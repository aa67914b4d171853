import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.data.Mnist;
import io.gan4j.core.metrics.DigitClassifier;
import io.gan4j.core.metrics.DigitQuality;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import io.gan4j.core.train.GanTrainer;
import io.gan4j.core.train.ImageBatches;
import io.gan4j.models.GanModel;
import io.gan4j.models.Models;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Throwaway (not built by Maven): the EMA generator of one `gan train dcgan-mnist` checkpoint scored like `gan train`
 * on SETS independent sets of 1,000 samples (noise streams 100, 101, ...), to tell a generator's rate from the luck
 * of one sample set. Build and run against the gan-examples jar:
 *   javac --add-modules jdk.incubator.vector -cp "gan-examples/target/gan-examples.jar:gan-examples/target/lib/*" -d DIR ManySets.java
 *   java --add-modules=jdk.incubator.vector -cp "DIR:gan-examples/target/gan-examples.jar:gan-examples/target/lib/*" ManySets CHECKPOINT EMA SETS
 */
public class ManySets {
    public static void main(String[] args) throws Exception {
        float ema = Float.parseFloat(args[1]);
        int sets = Integer.parseInt(args[2]);
        GanModel<?> m = Models.get("dcgan-mnist").withRecipe(r -> r.withEma(ema).withLr(1e-3f));
        Backend backend = Device.named("cpu");
        Generator rng = new Generator(1);
        GanTrainer t = m.trainer(rng, backend, new ImageBatches(Mnist.bundled(), 16, 0, rng, backend)).build();
        t.resume(Path.of(args[0]));
        DigitClassifier c = DigitClassifier.bundled();
        System.out.println("checkpoint " + args[0] + ", step " + t.step() + ", EMA " + ema);
        for (int s = 0; s < sets; s++) {
            Tensor z = Tensor.randn(backend, new Generator(1).fork(100 + s), 0f, 1f, 1000, 100);
            Tensor images = t.sample(z, null).reshape(1000, 1, 28, 28);
            System.out.printf(Locale.ROOT, "set %d: %s%n", s, DigitQuality.evaluate(c, images, null));
        }
    }
}
