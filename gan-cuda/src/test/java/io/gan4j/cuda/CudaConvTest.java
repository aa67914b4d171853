package io.gan4j.cuda;

import static io.gan4j.cuda.CudaTestSupport.CPU;
import static io.gan4j.cuda.CudaTestSupport.assertClose;
import static io.gan4j.cuda.CudaTestSupport.cuda;
import static io.gan4j.cuda.CudaTestSupport.download;
import static io.gan4j.cuda.CudaTestSupport.random;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Buffer;
import io.gan4j.core.backend.ConvGeometry;
import io.gan4j.cuda.CudaTestSupport.Path;

/** Convolution forward, backward-data (= transposed convolution) and backward-filter on every path (GPU only). */
class CudaConvTest {

    /** dcgan-mnist's shapes (DESIGN.md) at a small batch, plus odd ones. */
    static List<ConvGeometry> geometries() {
        return List.of(
                ConvGeometry.forward(4, 1, 28, 28, 64, 5, 5, 2, 2, 2, 2),        // D conv 1
                ConvGeometry.forward(4, 64, 14, 14, 128, 5, 5, 2, 2, 2, 2),      // D conv 2
                ConvGeometry.transposed(4, 256, 7, 7, 128, 5, 5, 1, 1, 2, 2, 0, 0),   // G convT 1
                ConvGeometry.transposed(4, 128, 7, 7, 64, 5, 5, 2, 2, 2, 2, 1, 1),    // G convT 2
                ConvGeometry.forward(3, 5, 9, 11, 7, 3, 2, 1, 2, 1, 0),
                ConvGeometry.forward(2, 3, 16, 16, 4, 3, 3, 1, 1, 1, 1),
                new ConvGeometry(2, 3, 4, 4, 2, 3, 3, 2, 2, 0, 0, 2, 2));        // output one larger than floor: im2col path
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void forwardBackwardDataBackwardFilter(Path path) {
        CudaBackend gpu = cuda(path);
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (ConvGeometry g : geometries()) {
            float[] x = random(rnd, (int) g.inputSize(), 1f);
            float[] w = random(rnd, (int) g.weightSize(), 0.2f);
            float[] dy = random(rnd, (int) g.outputSize(), 1f);
            float[][][] out = new float[2][3][];
            Backend[] backends = {CPU, gpu};
            for (int j = 0; j < 2; j++) {
                Backend b = backends[j];
                try (Buffer bx = b.upload(x, 0, x.length); Buffer bw = b.upload(w, 0, w.length);
                     Buffer bdy = b.upload(dy, 0, dy.length); Buffer y = b.allocate(g.outputSize());
                     Buffer dx = b.allocate(g.inputSize()); Buffer dw = b.allocate(g.weightSize())) {
                    b.conv2dForward(g, bx, bw, y);
                    b.conv2dBackwardData(g, bdy, bw, dx);
                    b.conv2dBackwardFilter(g, bx, bdy, dw);
                    out[j][0] = download(b, y);
                    out[j][1] = download(b, dx);
                    out[j][2] = download(b, dw);
                }
            }
            String what = path + " " + g + " (seed " + seed + ")";
            assertClose("forward " + what, out[1][0], out[0][0]);
            assertClose("backward data " + what, out[1][1], out[0][1]);
            assertClose("backward filter " + what, out[1][2], out[0][2]);
        }
    }
}
