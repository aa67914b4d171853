import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.data.Mnist;
import io.gan4j.core.metrics.DigitClassifier;
import io.gan4j.core.metrics.DigitQuality;
import io.gan4j.core.nn.Module;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;
import io.gan4j.core.train.GanTrainer;
import io.gan4j.core.train.ImageBatches;
import io.gan4j.models.GanModel;
import io.gan4j.models.Models;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Throwaway (not built by Maven): the EMA generator of one `gan train dcgan-mnist` checkpoint scored on SETS sets of
 * 1,000 samples (noise streams 100, 101, ..., as ManySets) with batch norm in eval mode (the statistics measured for
 * the averaged weights, as gan train samples) and in train mode (each batch's own statistics, as in training) at
 * batches of 16, 64 and 1,000. Build and run against the gan-examples jar:
 *   javac --add-modules jdk.incubator.vector -cp "gan-examples/target/gan-examples.jar:gan-examples/target/lib/*" -d DIR BnModes.java
 *   java --add-modules=jdk.incubator.vector -cp "DIR:gan-examples/target/gan-examples.jar:gan-examples/target/lib/*" BnModes CHECKPOINT EMA SETS
 */
public class BnModes {
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
        double[] sum = new double[5];
        for (int s = 0; s < sets; s++) {
            Tensor z = Tensor.randn(backend, new Generator(1).fork(100 + s), 0f, 1f, 1000, 100);
            double eval = DigitQuality.evaluate(c, t.sample(z, null).reshape(1000, 1, 28, 28), null).confidentShare();
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "set %d: eval %.1f", s, 100 * eval));
            sum[0] += eval;
            int[] batches = {16, 64, 1000};
            for (int bi = 0; bi < batches.length; bi++) {
                int b = batches[bi];
                Module g = t.generator();
                Tensor images = t.ema().withAveragedWeights(() -> {
                    g.train();
                    try (GradMode off = GradMode.disable()) {
                        Tensor[] parts = new Tensor[1000 / b + (1000 % b > 0 ? 1 : 0)];
                        for (int i = 0, p = 0; i < 1000; i += b, p++) {
                            parts[p] = g.forward(z.slice(i, Math.min(1000, i + b)));
                        }
                        return io.gan4j.core.ops.Ops.concat(0, parts);
                    }
                });
                double v = DigitQuality.evaluate(c, images.reshape(1000, 1, 28, 28), null).confidentShare();
                sum[bi + 1] += v;
                out.append(String.format(Locale.ROOT, " | train-mode batch %d %.1f", b, 100 * v));
            }
            System.out.println(out);
        }
        System.out.printf(Locale.ROOT, "mean: eval %.1f | batch 16 %.1f | batch 64 %.1f | batch 1000 %.1f%n",
                100 * sum[0] / sets, 100 * sum[1] / sets, 100 * sum[2] / sets, 100 * sum[3] / sets);
    }
}
