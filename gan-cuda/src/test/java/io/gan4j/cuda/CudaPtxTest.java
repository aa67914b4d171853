package io.gan4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.ReduceOp;
import io.gan4j.core.backend.UnaryOp;

/** Runs without a GPU: the committed PTX is there, loadable by CUDA 12 and 13 drivers, and has every kernel we launch. */
class CudaPtxTest {
    private static final String PTX = new String(CudaKernels.ptxBytes(), StandardCharsets.US_ASCII);

    private static List<String> directive(String name) {
        List<String> values = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\." + name + " (\\S+)$").matcher(PTX);
        while (m.find()) values.add(m.group(1));
        return values;
    }

    @Test
    void declaresAnIsaAndTargetThatCuda12And13DriversLoad() {
        // ISA 8.0 = CUDA 12.0: every CUDA >= 12.0 driver JITs it; sm_75 is the lowest nvcc 13 compiles for
        assertEquals(List.of("8.0"), directive("version"));
        assertEquals(List.of("sm_75"), directive("target"));
        assertEquals(List.of("64"), directive("address_size"));
    }

    @Test
    void hasEveryKernelTheBackendLaunchesAndNoOthers() {
        TreeSet<String> entries = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\.visible \\.entry (\\w+)\\(").matcher(PTX);
        while (m.find()) entries.add(m.group(1));
        TreeSet<String> wanted = new TreeSet<>(CudaKernels.ENTRIES);
        TreeSet<String> missing = new TreeSet<>(wanted);
        missing.removeAll(entries);
        assertTrue(missing.isEmpty(), "kernels launched by CudaBackend but missing from the PTX: " + missing);
        TreeSet<String> unused = new TreeSet<>(entries);
        unused.removeAll(wanted);
        assertTrue(unused.isEmpty(), "kernels in the PTX that CudaKernels.ENTRIES does not list: " + unused);
    }

    @Test
    void isDeterministicTextWithoutPathsOrTimestamps() {
        assertTrue(!PTX.contains("/work/") && !PTX.contains("/home/") && !PTX.contains(".file"), "no paths in the PTX");
        assertTrue(PTX.startsWith("// gan4j: gan4j_kernels.cu compiled by gan-cuda/src/main/cuda/build-ptx.sh"));
    }

    @Test
    void opCodesMatchTheEnumsOfGanCoreAndOfTheCudaSource() throws IOException {
        assertEquals(Arrays.stream(UnaryOp.values()).map(Enum::name).toList(), CudaKernels.UNARY_ORDER);
        assertEquals(Arrays.stream(BinaryOp.values()).map(Enum::name).toList(), CudaKernels.BINARY_ORDER);
        assertEquals(0, ReduceOp.SUM.ordinal());
        assertEquals(1, ReduceOp.MAX.ordinal());
        String cu = Files.readString(Path.of("src/main/cuda/gan4j_kernels.cu"));
        assertEquals(CudaKernels.UNARY_ORDER, cuEnum(cu, "U_"));
        assertEquals(CudaKernels.BINARY_ORDER, cuEnum(cu, "B_"));
    }

    private static List<String> cuEnum(String cu, String prefix) {
        Matcher m = Pattern.compile("enum \\{([^}]*" + prefix + "[^}]*)\\}").matcher(cu);
        assertTrue(m.find(), "enum of " + prefix + " in gan4j_kernels.cu");
        return Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.substring(prefix.length())).toList();
    }
}
