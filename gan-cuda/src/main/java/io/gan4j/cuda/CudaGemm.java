package io.gan4j.cuda;

import static io.gan4j.cuda.CudaKernels.f;
import static io.gan4j.cuda.CudaKernels.i;
import static io.gan4j.cuda.CudaKernels.l;
import static io.gan4j.cuda.CudaKernels.p;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;
import jcuda.runtime.cudaStream_t;

/** Row-major, strided-batched SGEMM of the CUDA backend: cuBLAS, or our tiled kernel where cuBLAS does not load. */
interface CudaGemm extends AutoCloseable {

    /** Same contract as {@code Backend.gemm}, on device pointers. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              CUdeviceptr a, int lda, long strideA, CUdeviceptr b, int ldb, long strideB,
              float beta, CUdeviceptr c, int ldc, long strideC, int batch);

    /** "cublas 12.x (FP32)" or "gan4j tiled kernel": what the log names. */
    String describe();

    @Override
    void close();

    /**
     * cuBLAS through JCublas2. Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T, and a row-major
     * matrix read as column-major is its transpose, so the operands are swapped (B first, m and n exchanged)
     * and no data moves. FP32 math unless TF32 is asked for (tolerance 1e-3 then, not 1e-5).
     */
    final class Cublas implements CudaGemm {
        private final cublasHandle handle = new cublasHandle();
        private final boolean tf32;
        private final int version;

        Cublas(CUstream stream, boolean tf32) {
            JCublas2.setExceptionsEnabled(true);   // loads libJCublas2, which needs libcublas.so.12
            JCublas2.cublasCreate(handle);
            try {
                JCublas2.cublasSetStream(handle, new cudaStream_t(stream));
                JCublas2.cublasSetMathMode(handle, tf32 ? cublasMath.CUBLAS_TF32_TENSOR_OP_MATH : cublasMath.CUBLAS_DEFAULT_MATH);
                int[] v = {0};
                JCublas2.cublasGetVersion(handle, v);
                this.version = v[0];
            } catch (RuntimeException | Error e) {
                JCublas2.cublasDestroy(handle);
                throw e;
            }
            this.tf32 = tf32;
        }

        @Override
        public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         CUdeviceptr a, int lda, long strideA, CUdeviceptr b, int ldb, long strideB,
                         float beta, CUdeviceptr c, int ldc, long strideC, int batch) {
            if (m <= 0 || n <= 0 || batch <= 0) {
                return;
            }
            int opB = transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
            int opA = transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
            Pointer pa = Pointer.to(new float[] {alpha});
            Pointer pb = Pointer.to(new float[] {beta});
            if (batch == 1) {
                JCublas2.cublasSgemm(handle, opB, opA, n, m, k, pa, b, ldb, a, lda, pb, c, ldc);
            } else {
                JCublas2.cublasSgemmStridedBatched(handle, opB, opA, n, m, k, pa, b, ldb, strideB, a, lda, strideA,
                        pb, c, ldc, strideC, batch);
            }
        }

        @Override
        public String describe() {
            return "cuBLAS " + version + (tf32 ? " (TF32 tensor ops)" : " (FP32)");
        }

        @Override
        public void close() {
            JCublas2.cublasDestroy(handle);
        }
    }

    /** Our tiled kernel gan4j_sgemm (64 x 64 tiles of C, one launch for the whole batch, grid.z = batch). */
    final class Kernel implements CudaGemm {
        private final CudaKernels kernels;

        Kernel(CudaKernels kernels) {
            this.kernels = kernels;
        }

        @Override
        public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         CUdeviceptr a, int lda, long strideA, CUdeviceptr b, int ldb, long strideB,
                         float beta, CUdeviceptr c, int ldc, long strideC, int batch) {
            if (m <= 0 || n <= 0 || batch <= 0) {
                return;
            }
            for (int b0 = 0; b0 < batch; b0 += 65535) {   // grid.z is at most 65535
                int cnt = Math.min(65535, batch - b0);
                kernels.launch("gan4j_sgemm", (n + 63) / 64, (m + 63) / 64, cnt, 256,
                        i(transA ? 1 : 0), i(transB ? 1 : 0), i(m), i(n), i(k), f(alpha),
                        p(a.withByteOffset(b0 * strideA * Float.BYTES)), i(lda), l(strideA),
                        p(b.withByteOffset(b0 * strideB * Float.BYTES)), i(ldb), l(strideB), f(beta),
                        p(c.withByteOffset(b0 * strideC * Float.BYTES)), i(ldc), l(strideC));
            }
        }

        @Override
        public String describe() {
            return "gan4j tiled SGEMM kernel (64x64 tiles, FP32 FMA)";
        }

        @Override
        public void close() {
        }
    }
}
