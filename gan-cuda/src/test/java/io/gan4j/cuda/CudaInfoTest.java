package io.gan4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.gan4j.cuda.CudaInfo.Check;
import io.gan4j.cuda.CudaInfo.ColumnMajorGemm;
import io.gan4j.cuda.CudaInfo.ConvShape;
import io.gan4j.cuda.CudaInfo.Report;
import io.gan4j.cuda.CudaInfo.Status;

class CudaInfoTest {

    /** Run once: JCuda loads each native library once per JVM, and a failed load stays failed. */
    private static Report report;

    @BeforeAll
    static void runCudaInfo() {
        report = CudaInfo.run();
        report.lines().forEach(line -> System.out.println("CudaInfo: " + line));
    }

    @Test
    void withoutCudaReportsOneNoCudaLineWithAReasonAndExitsZero() {
        assumeFalse(report.cudaPresent(), () -> "a GPU is present, see the other test: " + report.lines());
        assertEquals(1, report.lines().size(), report.lines()::toString);
        String line = report.lines().get(0);
        assertTrue(line.startsWith("no CUDA: "), line);
        assertFalse(line.substring("no CUDA: ".length()).isBlank(), line);
        assertFalse(line.contains("\n"), "one line: " + line);
        assertEquals(0, report.exitCode());
    }

    @Test
    void withAGpuEveryCheckPasses() {
        assumeTrue(report.cudaPresent(), () -> "no GPU here: " + report.noCudaReason());
        assertEquals(List.of("driver-library", "driver", "runtime", "cublas", "cudnn"),
                report.checks().stream().map(Check::name).toList());
        for (Check check : report.checks()) {
            assertEquals(Status.PASS, check.status(), check::toString);
        }
        assertEquals(0, report.exitCode());
    }

    @Test
    void aFailedCheckOnAGpuMachineExitsNonZero() {
        Report failed = new Report(List.of(new Check(Status.PASS, "driver", "ok"),
                new Check(Status.FAIL, "cublas", "libcublas.so.12: cannot open shared object file")), null);
        assertEquals(1, failed.exitCode());
        assertEquals("FAIL cublas: libcublas.so.12: cannot open shared object file", failed.lines().get(1));
        assertEquals(0, new Report(List.of(), "no driver").exitCode());
    }

    /** cuBLAS semantics (column-major, no transposes) in Java, fed with the arguments CudaInfo gives cuBLAS. */
    @Test
    void rowMajorProductThroughColumnMajorGemmArguments() {
        int rowsA = 3;
        int inner = 5;
        int colsB = 2; // not square, so that a swapped operand or dimension cannot go unnoticed
        float[] a = CudaInfo.randomFloats(rowsA * inner, 7);
        float[] b = CudaInfo.randomFloats(inner * colsB, 8);
        ColumnMajorGemm g = ColumnMajorGemm.forRowMajor(rowsA, inner, colsB);
        float[] c = new float[rowsA * colsB];
        float[] first = b; // CudaInfo passes B first and A second: C^T = B^T A^T
        float[] second = a;
        for (int i = 0; i < g.m(); i++) {
            for (int j = 0; j < g.n(); j++) {
                double sum = 0;
                for (int p = 0; p < g.k(); p++) {
                    sum += (double) first[i + p * g.ldFirst()] * second[p + j * g.ldSecond()];
                }
                c[i + j * g.ldC()] = (float) sum;
            }
        }
        assertArrayEquals(CudaInfo.matmul(a, b, rowsA, inner, colsB), c, 1e-6f);
    }

    @Test
    void javaMatmulMatchesAHandExample() {
        float[] a = {1, 2, 3, 4, 5, 6}; // 2x3
        float[] b = {7, 8, 9, 10, 11, 12}; // 3x2
        assertArrayEquals(new float[] {58, 64, 139, 154}, CudaInfo.matmul(a, b, 2, 3, 2));
    }

    @Test
    void javaConvolutionMatchesAHandExample() {
        // ones 3x3 input, ones 3x3 kernel, pad 1: each output counts the input pixels under the kernel
        ConvShape s = new ConvShape(1, 1, 3, 3, 1, 3, 3, 1);
        float[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        assertArrayEquals(new float[] {4, 6, 4, 6, 9, 6, 4, 6, 4}, CudaInfo.conv2d(s, ones, ones));
        // cross-correlation, not convolution: a kernel with only its top-left tap reads the pixel up-left
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] topLeft = {1, 0, 0, 0, 0, 0, 0, 0, 0};
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 0, 4, 5}, CudaInfo.conv2d(s, x, topLeft));
    }

    @Test
    void reasonIsTheDynamicLinkersLineOfJCudasLongMessage() {
        String message = String.join("\n",
                "Error while loading native library \"JCublas2-12.6.0-linux-x86_64\"",
                "Operating system name: Linux",
                "---(start of nested stack traces)---",
                "Stack trace from the attempt to load the library as a file:",
                "java.lang.UnsatisfiedLinkError: no JCublas2-12.6.0-linux-x86_64 in java.library.path: /usr/lib",
                "\tat java.base/java.lang.System.loadLibrary(System.java:2006)",
                "Stack trace from the attempt to load the library as a resource:",
                "java.lang.UnsatisfiedLinkError: /tmp/libJCublas2-12.6.0-linux-x86_64.so: libcublas.so.12: "
                        + "cannot open shared object file: No such file or directory",
                "---(end of nested stack traces)---");
        String expected = "libcublas.so.12: cannot open shared object file: No such file or directory";
        assertEquals(expected, CudaInfo.reason(new UnsatisfiedLinkError(message)));
        // the second use of a class whose static initializer failed
        Throwable again = new NoClassDefFoundError("Could not initialize class jcuda.jcublas.JCublas2");
        again.initCause(new ExceptionInInitializerError("Exception java.lang.UnsatisfiedLinkError: " + message));
        assertEquals(expected, CudaInfo.reason(again));
        assertEquals("No resource found with name '/lib/libJCudnn-12.6.0-linux-x86_64.so'", CudaInfo.reason(
                new UnsatisfiedLinkError("...\njava.io.IOException: No resource found with name "
                        + "'/lib/libJCudnn-12.6.0-linux-x86_64.so'\n...")));
        assertEquals("IllegalStateException: boom", CudaInfo.reason(new IllegalStateException("boom\nmore")));
    }

    @Test
    void namesTheJniLibraryOfTheJCudaVersionOnTheClasspath() {
        // JCudnn 11.7.0 loads "JCudnn-" + JCudaVersion.get(): the natives must match jcuda, not jcudnn
        String lib = CudaInfo.jniLibrary("JCudnn");
        assertTrue(lib.contains("JCudnn-" + jcuda.JCudaVersion.get() + "-"), lib);
    }

    @Test
    void cudaVersionsDecode() {
        assertEquals("12.6 (12060)", CudaInfo.cudaVersion(12060));
        assertEquals("13.0 (13000)", CudaInfo.cudaVersion(13000));
    }
}
