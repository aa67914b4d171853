import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.data.Mnist;
import io.gan4j.core.metrics.DigitClassifier;
import io.gan4j.core.metrics.DigitQuality;
import io.gan4j.core.nn.Module;
import io.gan4j.core.ops.Ops;
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
 * of one sample set. With a fourth argument, train-mode (thirteenth session), each set is also drawn with batch norm
 * in train mode (each batch's own statistics, as in training) at batches of 16, 64 and 1,000, and the means of all
 * four ways are printed. Build and run against the gan-examples jar:
 *   javac --add-modules jdk.incubator.vector -cp "gan-examples/target/gan-examples.jar:gan-examples/target/lib/*" -d DIR ManySets.java
 *   java --add-modules=jdk.incubator.vector -cp "DIR:gan-examples/target/gan-examples.jar:gan-examples/target/lib/*" ManySets CHECKPOINT EMA SETS [train-mode]
 */
public class ManySets {
    private static final int[] TRAIN_MODE_BATCHES = {16, 64, 1000};

    public static void main(String[] args) throws Exception {
        float ema = Float.parseFloat(args[1]);
        int sets = Integer.parseInt(args[2]);
        boolean trainMode = args.length > 3 && args[3].equals("train-mode");
        GanModel<?> m = Models.get("dcgan-mnist").withRecipe(r -> r.withEma(ema).withLr(1e-3f));
        Backend backend = Device.named("cpu");
        Generator rng = new Generator(1);
        GanTrainer t = m.trainer(rng, backend, new ImageBatches(Mnist.bundled(), 16, 0, rng, backend)).build();
        t.resume(Path.of(args[0]));
        DigitClassifier c = DigitClassifier.bundled();
        System.out.println("checkpoint " + args[0] + ", step " + t.step() + ", EMA " + ema);
        double[] sums = new double[1 + TRAIN_MODE_BATCHES.length];
        for (int s = 0; s < sets; s++) {
            Tensor z = Tensor.randn(backend, new Generator(1).fork(100 + s), 0f, 1f, 1000, 100);
            Tensor images = t.sample(z, null).reshape(1000, 1, 28, 28);
            DigitQuality.Report report = DigitQuality.evaluate(c, images, null);
            System.out.printf(Locale.ROOT, "set %d: %s%n", s, report);
            if (trainMode) {
                sums[0] += report.confidentShare();
                StringBuilder out = new StringBuilder("  train mode:");
                for (int b = 0; b < TRAIN_MODE_BATCHES.length; b++) {
                    double share = DigitQuality.evaluate(c, trainModeSamples(t, z, TRAIN_MODE_BATCHES[b]), null).confidentShare();
                    sums[b + 1] += share;
                    out.append(String.format(Locale.ROOT, " batch %d %.1f %%", TRAIN_MODE_BATCHES[b], 100 * share));
                }
                System.out.println(out);
            }
        }
        if (trainMode) {
            System.out.printf(Locale.ROOT, "mean of %d sets: eval mode %.1f %%, train mode batch 16 %.1f %%, 64 %.1f %%, 1000 %.1f %%%n",
                    sets, 100 * sums[0] / sets, 100 * sums[1] / sets, 100 * sums[2] / sets, 100 * sums[3] / sets);
        }
    }

    /** The samples of z from the EMA's averaged weights with batch norm in train mode, in batches of the given size. */
    private static Tensor trainModeSamples(GanTrainer t, Tensor z, int batch) {
        Module g = t.generator();
        return t.ema().withAveragedWeights(() -> {
            g.train();
            try (GradMode off = GradMode.disable()) {
                int n = z.size(0);
                Tensor[] parts = new Tensor[(n + batch - 1) / batch];
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = g.forward(z.slice(i * batch, Math.min(n, (i + 1) * batch)));
                }
                return Ops.concat(0, parts).reshape(n, 1, 28, 28);
            }
        });
    }
}
