import io.gan4j.core.backend.*;
import io.gan4j.core.backend.cpu.CpuBackend;
import java.util.*;

/**
 * How each dcgan-mnist convolution pass scales from one thread to two: two CPU backends (1 and 2 threads) in one
 * JVM take turns on every pass, 40 measured rounds of 5 calls each, and the medians are printed. Argument: batch.
 * <pre>
 * javac -cp gan-core/target/classes -d /tmp/cs docs/bench/calibration/ConvScaling.java
 * java --add-modules=jdk.incubator.vector -cp /tmp/cs:gan-core/target/classes ConvScaling 16
 * </pre>
 */
public class ConvScaling {
    public static void main(String[] args) {
        int batch = Integer.parseInt(args[0]);
        Backend[] be = {new CpuBackend(1), new CpuBackend(2)};
        ConvGeometry[] gs = {
            ConvGeometry.forward(batch, 1, 28, 28, 64, 5, 5, 2, 2, 2, 2),
            ConvGeometry.forward(batch, 64, 14, 14, 128, 5, 5, 2, 2, 2, 2),
            ConvGeometry.transposed(batch, 256, 7, 7, 128, 5, 5, 1, 1, 2, 2, 0, 0),
            ConvGeometry.transposed(batch, 128, 7, 7, 64, 5, 5, 2, 2, 2, 2, 1, 1),
            ConvGeometry.transposed(batch, 64, 14, 14, 1, 5, 5, 2, 2, 2, 2, 1, 1)};
        String[] names = {"d1", "d2", "g1", "g2", "g3"};
        String[] passes = {"fwd", "bwdData", "bwdFilter"};
        double[][][] t = new double[2][15][40];
        Runnable[][] runs = new Runnable[2][15];
        Random rnd = new Random(1);
        for (int e = 0; e < 2; e++) {
            Backend b = be[e];
            for (int l = 0; l < 5; l++) {
                ConvGeometry g = gs[l];
                Buffer x = rand(b, (long) g.n() * g.c() * g.h() * g.w(), rnd);
                Buffer w = rand(b, (long) g.k() * g.c() * g.r() * g.s(), rnd);
                Buffer y = rand(b, (long) g.n() * g.k() * g.p() * g.q(), rnd);
                Buffer dw = b.allocate((long) g.k() * g.c() * g.r() * g.s());
                runs[e][3 * l] = () -> b.conv2dForward(g, x, w, y);
                runs[e][3 * l + 1] = () -> b.conv2dBackwardData(g, y, w, x);
                runs[e][3 * l + 2] = () -> b.conv2dBackwardFilter(g, x, y, dw);
            }
        }
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 15; i++) {
                for (int e = 0; e < 2; e++) {
                    long s = System.nanoTime();
                    for (int k = 0; k < 5; k++) runs[e][i].run();
                    if (round >= 10) t[e][i][round - 10] = (System.nanoTime() - s) / 5e6;
                }
            }
        }
        double s1 = 0, s2 = 0;
        for (int i = 0; i < 15; i++) {
            double m1 = median(t[0][i]), m2 = median(t[1][i]);
            s1 += m1; s2 += m2;
            ConvGeometry g = gs[i / 3];
            double gf = 2.0 * g.macs() / 1e9;
            System.out.printf("%s %-9s 1t %7.3f ms (%5.1f GF/s)  2t %7.3f ms (%5.1f GF/s)  scaling %.2f%n", names[i / 3], passes[i % 3],
                    m1, gf / m1 * 1e3, m2, gf / m2 * 1e3, m1 / m2);
        }
        System.out.printf("total 1t %.2f ms 2t %.2f ms scaling %.2f%n", s1, s2, s1 / s2);
        System.exit(0);
    }

    static double median(double[] v) { double[] c = v.clone(); Arrays.sort(c); return c[c.length / 2]; }

    static Buffer rand(Backend be, long n, Random r) {
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = r.nextFloat() - 0.5f;
        return be.upload(v, 0, v.length);
    }
}
