import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Buffer;
import io.gan4j.core.backend.cpu.CpuBackend;
import java.util.Random;

/**
 * SGEMM n x n x n through the CPU backend, in a loop: one reading per second (the first includes JIT warm-up).
 * A JVM that starts in a second, for alternating with another library's GEMM second by second (JMH's forks
 * take longer). Not built by Maven:
 * <pre>
 * javac -cp gan-core/target/classes -d /tmp/gl docs/bench/calibration/GemmLoop.java
 * java --add-modules=jdk.incubator.vector -cp /tmp/gl:gan-core/target/classes GemmLoop THREADS N READINGS
 * </pre>
 */
public final class GemmLoop {
    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        int readings = Integer.parseInt(args[2]);
        try (Backend backend = new CpuBackend(threads)) {
            float[] x = new float[n * n];
            Random r = new Random(1);
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat() - 0.5f;
            }
            Buffer a = backend.upload(x, 0, n * n);
            Buffer b = backend.upload(x, 0, n * n);
            Buffer c = backend.allocate((long) n * n);
            StringBuilder out = new StringBuilder();
            for (int rep = 0; rep < readings; rep++) {
                long t = System.nanoTime();
                int calls = 0;
                while (System.nanoTime() - t < 1_000_000_000L) {
                    backend.gemm(false, false, n, n, n, 1f, a, n, 0, b, n, 0, 0f, c, n, 0, 1);
                    calls++;
                }
                out.append(String.format("%.1f ", calls * 2.0 * n * n * n / (System.nanoTime() - t)));
            }
            System.out.println(out.toString().trim() + " GFLOP/s");
        }
    }
}
