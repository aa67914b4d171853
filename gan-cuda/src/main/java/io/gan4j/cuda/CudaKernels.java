package io.gan4j.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * Our own kernels: the PTX resource compiled from {@code src/main/cuda/gan4j_kernels.cu}, loaded with the
 * driver API ({@code cuModuleLoadData}; the driver JIT-compiles it for the GPU at hand) and launched on the
 * backend's stream.
 */
final class CudaKernels {
    /** The PTX resource (committed; regenerated and compared by build-ptx.sh where nvcc exists). */
    static final String PTX_RESOURCE = "/io/gan4j/cuda/ptx/gan4j_kernels.ptx";

    /** Every kernel the backend launches; CudaPtxTest checks each is an .entry of the PTX, without a GPU. */
    static final List<String> ENTRIES = List.of(
            "gan4j_unary", "gan4j_binary", "gan4j_strided_copy", "gan4j_swap_outer",
            "gan4j_reduce_rows", "gan4j_reduce_middle",
            "gan4j_bce_logits_fwd", "gan4j_bce_logits_bwd", "gan4j_leaky_relu_fwd", "gan4j_leaky_relu_bwd",
            "gan4j_prelu_fwd", "gan4j_prelu_bwd_data", "gan4j_prelu_bwd_alpha",
            "gan4j_upsample_nearest", "gan4j_upsample_nearest_bwd", "gan4j_pixel_shuffle",
            "gan4j_random_normal", "gan4j_random_uniform", "gan4j_random_bernoulli",
            "gan4j_adam", "gan4j_bn_fwd_train", "gan4j_bn_fwd_infer", "gan4j_bn_bwd",
            "gan4j_sgemm", "gan4j_im2col", "gan4j_col2im");

    /** The op codes of gan4j_unary, in the order of the .cu enum; must equal UnaryOp's order (tested). */
    static final List<String> UNARY_ORDER = List.of("NEG", "EXP", "LOG", "SQRT", "SQUARE", "ABS", "SIGN",
            "RECIPROCAL", "TANH", "SIGMOID", "RELU", "LEAKY_RELU", "SOFTPLUS", "STEP", "ADD_SCALAR", "MUL_SCALAR",
            "POW_SCALAR", "MIN_SCALAR", "MAX_SCALAR");

    /** The op codes of gan4j_binary, in the order of the .cu enum; must equal BinaryOp's order (tested). */
    static final List<String> BINARY_ORDER = List.of("ADD", "SUB", "MUL", "DIV", "MAX", "MIN", "EQ", "GT", "POW");

    /** Broadcast rank the kernels take (the Strides struct of the .cu file). */
    static final int MAX_RANK = 8;

    static final int BLOCK = 256;
    /** Grid-stride loops make any grid correct; this many blocks keeps every SM busy. */
    private static final long MAX_BLOCKS = 1L << 16;

    private final CUmodule module = new CUmodule();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final CUstream stream;

    CudaKernels(CUstream stream) {
        this.stream = stream;
        byte[] ptx = ptxBytes();
        byte[] z = new byte[ptx.length + 1];            // cuModuleLoadData wants a NUL-terminated image
        System.arraycopy(ptx, 0, z, 0, ptx.length);
        JCudaDriver.cuModuleLoadData(module, z);
        for (String name : ENTRIES) {
            CUfunction f = new CUfunction();
            JCudaDriver.cuModuleGetFunction(f, module, name);
            functions.put(name, f);
        }
    }

    static byte[] ptxBytes() {
        try (InputStream in = CudaKernels.class.getResourceAsStream(PTX_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("PTX resource " + PTX_RESOURCE + " missing from the gan-cuda jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int blocksFor(long n) {
        return (int) Math.max(1, Math.min(MAX_BLOCKS, (n + BLOCK - 1) / BLOCK));
    }

    /** Launches {@code name} with a 1-D grid over {@code n} elements; params are Pointer.to(...) of each argument. */
    void launch(String name, long n, Pointer... params) {
        launch(name, blocksFor(n), 1, 1, BLOCK, params);
    }

    void launch(String name, int gridX, int gridY, int gridZ, int block, Pointer... params) {
        CUfunction f = functions.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no kernel " + name);
        }
        JCudaDriver.cuLaunchKernel(f, gridX, gridY, gridZ, block, 1, 1, 0, stream, Pointer.to(params), null);
    }

    void unload() {
        JCudaDriver.cuModuleUnload(module);
    }

    // small helpers for kernel parameters
    static Pointer i(int v) {
        return Pointer.to(new int[] {v});
    }

    static Pointer l(long v) {
        return Pointer.to(new long[] {v});
    }

    static Pointer f(float v) {
        return Pointer.to(new float[] {v});
    }

    static Pointer p(Pointer devicePointer) {
        return Pointer.to(devicePointer);
    }
}
