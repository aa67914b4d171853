import io.gan4j.core.backend.*;
import java.util.*;

/**
 * Paired timing of the dcgan-mnist convolutions (forward, backward data, backward filter of all five layers) on
 * two copies of the CPU backend, {@code cpuA} and {@code cpuB}, built as in README.md; the two alternate every
 * round (5 sets each), and the median of the per-round time ratio is printed. Arguments: threads, batch.
 * <pre>
 * javac -cp /tmp/pair/cls:gan-core/target/classes -d /tmp/pair/cls docs/bench/pair/PairConv.java
 * java --add-modules=jdk.incubator.vector -cp /tmp/pair/cls:gan-core/target/classes PairConv 2 16
 * </pre>
 */
public class PairConv {
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        Backend a = (Backend) Class.forName("io.gan4j.core.backend.cpuA.CpuBackend").getConstructor(int.class).newInstance(threads);
        Backend b = (Backend) Class.forName("io.gan4j.core.backend.cpuB.CpuBackend").getConstructor(int.class).newInstance(threads);
        ConvGeometry[] gs = {
            ConvGeometry.forward(batch, 1, 28, 28, 64, 5, 5, 2, 2, 2, 2),
            ConvGeometry.forward(batch, 64, 14, 14, 128, 5, 5, 2, 2, 2, 2),
            ConvGeometry.transposed(batch, 256, 7, 7, 128, 5, 5, 1, 1, 2, 2, 0, 0),
            ConvGeometry.transposed(batch, 128, 7, 7, 64, 5, 5, 2, 2, 2, 2, 1, 1),
            ConvGeometry.transposed(batch, 64, 14, 14, 1, 5, 5, 2, 2, 2, 2, 1, 1)};
        Runnable ra = set(a, gs), rb = set(b, gs);
        List<Double> ratio = new ArrayList<>(), ta = new ArrayList<>(), tb = new ArrayList<>();
        for (int round = 0; round < 60; round++) {
            boolean aFirst = (round & 1) == 0;
            double x = 0, y = 0;
            for (int side = 0; side < 2; side++) {
                Runnable r = (side == 0) == aFirst ? ra : rb;
                long t = System.nanoTime();
                for (int i = 0; i < 5; i++) r.run();
                double s = (System.nanoTime() - t) / 1e6 / 5;
                if ((side == 0) == aFirst) x = s; else y = s;
            }
            if (round >= 10) { ta.add(x); tb.add(y); ratio.add(x / y); }
        }
        Collections.sort(ta); Collections.sort(tb); Collections.sort(ratio);
        int h = ratio.size() / 2;
        System.out.printf("batch %d t%d: A median %.2f ms B median %.2f ms per set; speedup B/A median %.3f (q1 %.3f q3 %.3f)%n",
                batch, threads, ta.get(h), tb.get(h), ratio.get(h), ratio.get(h / 2), ratio.get(h + h / 2));
        System.exit(0);
    }

    /** Forward, backward-data and backward-filter of every geometry (transposed ones as the generator runs them). */
    static Runnable set(Backend be, ConvGeometry[] gs) {
        List<Runnable> steps = new ArrayList<>();
        Random rnd = new Random(1);
        for (ConvGeometry g : gs) {
            Buffer x = rand(be, (long) g.n() * g.c() * g.h() * g.w(), rnd);
            Buffer w = rand(be, (long) g.k() * g.c() * g.r() * g.s(), rnd);
            Buffer y = rand(be, (long) g.n() * g.k() * g.p() * g.q(), rnd);
            Buffer dw = be.allocate((long) g.k() * g.c() * g.r() * g.s());
            steps.add(() -> { be.conv2dForward(g, x, w, y); be.conv2dBackwardData(g, y, w, x); be.conv2dBackwardFilter(g, x, y, dw); });
        }
        return () -> steps.forEach(Runnable::run);
    }

    static Buffer rand(Backend be, long n, Random r) {
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = r.nextFloat() - 0.5f;
        return be.upload(v, 0, v.length);
    }
}
