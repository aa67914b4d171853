import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.backend.cpu.CpuBackend;
import io.gan4j.core.train.ImageBatches;
import io.gan4j.core.data.Mnist;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.train.GanTrainer;
import io.gan4j.models.GanModel;
import io.gan4j.models.Models;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.*;

/**
 * Wall time per backend method over dcgan-mnist training steps (batch 16 unless -Dbatch says, lr 1e-3), on a
 * backend of THREADS threads: a dynamic proxy times every call (convolutions by geometry, allocations by size).
 * Arguments: threads, warm-up steps, measured steps. Not built by Maven; from a built checkout:
 * <pre>
 * CP="gan-examples/target/gan-examples.jar:gan-examples/target/lib/*"
 * javac -cp "$CP" -d /tmp/op docs/bench/calibration/OpProfile.java
 * java --add-modules=jdk.incubator.vector -XX:+UseParallelGC -cp "/tmp/op:$CP" OpProfile 2 100 300
 * </pre>
 * With {@code -Ddetail=true} the elementwise calls are listed by op and shape; {@code -Dbatch=N} trains batches of N.
 */
public class OpProfile {
    /** -Ddetail=true: unary and binary calls by op (and binary by shape and strides), reductions by shape. */
    static final boolean DETAIL = Boolean.getBoolean("detail");
    static final int BATCH = Integer.getInteger("batch", 16);

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int warm = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        Backend real = new CpuBackend(threads);
        Map<String, long[]> times = new TreeMap<>();
        boolean[] on = {false};
        Backend timed = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, m, a) -> {
                    long t = System.nanoTime();
                    try {
                        return m.invoke(real, a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (on[0]) {
                            String key = m.getName();
                            if (a != null && a.length > 0 && a[0] instanceof io.gan4j.core.backend.ConvGeometry g) {
                                key += String.format(" c%d k%d %dx%d->%dx%d s%d", g.c(), g.k(), g.h(), g.w(), g.p(), g.q(), g.strideH());
                            }
                            if (key.equals("allocate")) key += a[0] instanceof Long l && l >= (1 << 16) ? " >=64Ki" : " <64Ki";
                            if (DETAIL && key.equals("binary")) {
                                key += " " + a[0] + " " + Arrays.toString((int[]) a[6]) + " a" + Arrays.toString((long[]) a[2])
                                        + " b" + Arrays.toString((long[]) a[4]);
                            } else if (DETAIL && (key.equals("unary") || key.equals("reduce"))) {
                                key += " " + a[0] + (key.equals("reduce") ? " " + a[2] + "x" + a[3] + "x" + a[4] : "");
                            }
                            long[] v = times.computeIfAbsent(key, k -> new long[2]);
                            v[0] += System.nanoTime() - t;
                            v[1]++;
                        }
                    }
                });
        Device.use(timed);
        Generator rng = new Generator(1);
        GanModel<?> model = Models.get("dcgan-mnist");
        GanModel<?> m = model.withRecipe(r -> r.withEma(0f)
                .withGeneratorOptimizer(r.generatorOptimizer().withLr(1e-3f))
                .withDiscriminatorOptimizer(r.discriminatorOptimizer().withLr(1e-3f)));
        GanTrainer t = m.trainer(rng, timed, new ImageBatches(Mnist.bundled(), BATCH, 0, rng, timed)).build();
        for (int i = 0; i < warm; i++) t.trainStep();
        on[0] = true;
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) t.trainStep();
        long total = System.nanoTime() - start;
        long inBackend = 0;
        List<Map.Entry<String, long[]>> es = new ArrayList<>(times.entrySet());
        es.sort((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]));
        for (Map.Entry<String, long[]> e : es) inBackend += e.getValue()[0];
        System.out.printf("threads %d: %.2f ms per step (%.1f images/s); in backend calls %.2f ms, outside %.2f ms%n", threads,
                total / 1e6 / steps, (double) BATCH * steps / (total / 1e9), inBackend / 1e6 / steps, (total - inBackend) / 1e6 / steps);
        for (Map.Entry<String, long[]> e : es) {
            System.out.printf("  %-44s %8.3f ms/step  %6.1f calls/step%n", e.getKey(), e.getValue()[0] / 1e6 / steps, e.getValue()[1] / (double) steps);
        }
        System.exit(0);
    }
}
