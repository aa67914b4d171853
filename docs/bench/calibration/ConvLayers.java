import io.gan4j.core.backend.Buffer;
import io.gan4j.core.backend.ConvGeometry;
import io.gan4j.core.backend.cpu.CpuBackend;

import java.util.Arrays;

/**
 * Each dcgan-mnist convolution pass alone (forward, backward data, backward filter of the five layers) on a
 * two-thread CPU backend, with Winograd's algorithm on or off: median of 15 calls, in ms and in GFLOP/s of the
 * direct convolution (2 * macs), after two rounds of all layers as warm-up. Not built by Maven:
 * <pre>
 * javac -cp gan-core/target/classes -d /tmp/cl docs/bench/calibration/ConvLayers.java
 * java --add-modules=jdk.incubator.vector -cp /tmp/cl:gan-core/target/classes ConvLayers 64 true
 * </pre>
 * Arguments: batch, winograd (true or false). The thin layers (d1, g3) take thousands of calls to reach C2's code:
 * their figures here are those of a cold JIT (d1 at batch 16: 2-5 ms per pass here, 0.4-0.7 ms after 2,000 calls).
 */
public final class ConvLayers {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        boolean winograd = Boolean.parseBoolean(args[1]);
        ConvGeometry[] layers = {
            ConvGeometry.forward(n, 1, 28, 28, 64, 5, 5, 2, 2, 2, 2),
            ConvGeometry.forward(n, 64, 14, 14, 128, 5, 5, 2, 2, 2, 2),
            ConvGeometry.transposed(n, 256, 7, 7, 128, 5, 5, 1, 1, 2, 2, 0, 0),
            ConvGeometry.transposed(n, 128, 7, 7, 64, 5, 5, 2, 2, 2, 2, 1, 1),
            ConvGeometry.transposed(n, 64, 14, 14, 1, 5, 5, 2, 2, 2, 2, 1, 1)};
        String[] names = {"d1", "d2", "g1", "g2", "g3"};
        try (CpuBackend b = new CpuBackend(2, winograd)) {
            for (int round = 0; round < 3; round++) {
                measure(b, layers, names, round == 2);
            }
        }
        System.out.printf("batch %d, winograd %b%n", n, winograd);
    }

    private static void measure(CpuBackend b, ConvGeometry[] layers, String[] names, boolean print) {
        {
            double total = 0;
            for (int l = 0; l < layers.length; l++) {
                ConvGeometry g = layers[l];
                Buffer x = b.allocate(g.inputSize());
                Buffer w = b.allocate(g.weightSize());
                Buffer y = b.allocate(g.outputSize());
                Buffer dw = b.allocate(g.weightSize());
                b.randomNormal(x, 0, 1, 1, 0);
                b.randomNormal(w, 0, 1, 2, 0);
                b.randomNormal(y, 0, 1, 3, 0);
                double[][] ms = new double[3][15];
                for (int r = 0; r < 15; r++) {
                    long t0 = System.nanoTime();
                    b.conv2dForward(g, x, w, y);
                    long t1 = System.nanoTime();
                    b.conv2dBackwardData(g, y, w, x);
                    long t2 = System.nanoTime();
                    b.conv2dBackwardFilter(g, x, y, dw);
                    long t3 = System.nanoTime();
                    ms[0][r] = (t1 - t0) / 1e6;
                    ms[1][r] = (t2 - t1) / 1e6;
                    ms[2][r] = (t3 - t2) / 1e6;
                }
                double mflop = 2.0 * g.macs() / 1e6;
                StringBuilder line = new StringBuilder(names[l] + " fwd / bwdData / bwdFilter:");
                for (double[] pass : ms) {
                    Arrays.sort(pass);
                    double median = pass[pass.length / 2];
                    total += median;
                    line.append(String.format("  %6.2f ms (%5.1f GFLOP/s)", median, mflop / median));
                }
                if (print) {
                    System.out.println(line);
                }
            }
            if (print) {
                System.out.printf("all 15 passes %.1f ms%n", total);
            }
        }
    }
}
