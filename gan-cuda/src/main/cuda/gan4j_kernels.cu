// GAN4J's own CUDA kernels (gan-cuda). Compiled to PTX by build-ptx.sh (next to this file); the PTX is
// committed under src/main/resources/io/gan4j/cuda/ptx/ and loaded with cuModuleLoadData, so users need no
// nvcc. Every kernel reproduces a CPU-backend kernel of gan-core (io.gan4j.core.backend.cpu) formula by
// formula; build-ptx.sh compiles with -fmad=false so that a*b+c is rounded twice, as Java does, and kernels
// that want fused multiply-adds (the GEMM) ask for them explicitly with fmaf().
//
// Conventions: every kernel is extern "C" (unmangled .entry names, looked up by CudaKernels.java), takes
// element counts as long long, and uses grid-stride loops so any grid size is correct.

extern "C" {

#define GRID_STRIDE(i, n) \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n); \
         i += (long long)blockDim.x * gridDim.x)

// ------------------------------------------------------------------------------------------------ helpers

// java.lang.Math.max/min semantics: NaN wins (fmaxf would drop it)
__device__ __forceinline__ float jmax(float a, float b) { return (a != a) ? a : ((b != b) ? b : fmaxf(a, b)); }
__device__ __forceinline__ float jmin(float a, float b) { return (a != a) ? a : ((b != b) ? b : fminf(a, b)); }

__device__ __forceinline__ float sigmoidf_(float x) {
    if (x >= 0.f) return (float)(1.0 / (1.0 + exp(-(double)x)));
    double e = exp((double)x);
    return (float)(e / (1.0 + e));
}

__device__ __forceinline__ float softplusf_(float x) {
    return (float)(fmax((double)x, 0.0) + log1p(exp(-fabs((double)x))));
}

__device__ __forceinline__ float leaky(float x, float a) { return jmax(x, 0.f) + a * jmin(x, 0.f); }
__device__ __forceinline__ float stepf(float x, float a) { return (x > 0.f || x != x) ? 1.f : a; }

// ------------------------------------------------------------------------------------------------ unary
// op codes = ordinals of io.gan4j.core.backend.UnaryOp (CudaKernels.UNARY_ORDER is tested against the enum)
enum { U_NEG, U_EXP, U_LOG, U_SQRT, U_SQUARE, U_ABS, U_SIGN, U_RECIPROCAL, U_TANH, U_SIGMOID, U_RELU,
       U_LEAKY_RELU, U_SOFTPLUS, U_STEP, U_ADD_SCALAR, U_MUL_SCALAR, U_POW_SCALAR, U_MIN_SCALAR, U_MAX_SCALAR };

__device__ __forceinline__ float unary_apply(int op, float a, float x) {
    switch (op) {
        case U_NEG: return -x;
        case U_EXP: return (float)exp((double)x);
        case U_LOG: return (float)log((double)x);
        case U_SQRT: return sqrtf(x);
        case U_SQUARE: return x * x;
        case U_ABS: return fabsf(x);
        case U_SIGN: return x > 0.f ? 1.f : (x < 0.f ? -1.f : x);
        case U_RECIPROCAL: return 1.f / x;
        case U_TANH: return (float)tanh((double)x);
        case U_SIGMOID: return sigmoidf_(x);
        case U_RELU: return jmax(x, 0.f);
        case U_LEAKY_RELU: return leaky(x, a);
        case U_SOFTPLUS: return softplusf_(x);
        case U_STEP: return stepf(x, a);
        case U_ADD_SCALAR: return x + a;
        case U_MUL_SCALAR: return x * a;
        case U_POW_SCALAR: return a == 2.f ? x * x : (a == 1.f ? x : (float)pow((double)x, (double)a));
        case U_MIN_SCALAR: return jmin(x, a);
        case U_MAX_SCALAR: return jmax(x, a);
    }
    return __int_as_float(0x7fc00000);
}

__global__ void gan4j_unary(int op, float alpha, const float* __restrict__ x, float* y, long long n) {
    GRID_STRIDE(i, n) y[i] = unary_apply(op, alpha, x[i]);
}

// ------------------------------------------------------------------------------------------------ binary
enum { B_ADD, B_SUB, B_MUL, B_DIV, B_MAX, B_MIN, B_EQ, B_GT, B_POW };

__device__ __forceinline__ float binary_apply(int op, float a, float b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_MAX: return jmax(a, b);
        case B_MIN: return jmin(a, b);
        case B_EQ: return a == b ? 1.f : 0.f;
        case B_GT: return a > b ? 1.f : 0.f;
        case B_POW: return (float)pow((double)a, (double)b);
    }
    return __int_as_float(0x7fc00000);
}

// Broadcast layout, passed by value: v[0] = rank (<= 8), v[1..8] shape, v[9..16] strides of the first
// operand, v[17..24] strides of the second (elements; 0 broadcasts). Output is contiguous.
#define MAX_RANK 8
struct Strides { long long v[1 + 3 * MAX_RANK]; };

__global__ void gan4j_binary(int op, const float* __restrict__ a, const float* __restrict__ b, float* out,
                             long long n, Strides s) {
    int rank = (int)s.v[0];
    GRID_STRIDE(i, n) {
        long long rest = i, pa = 0, pb = 0;
        for (int d = rank - 1; d >= 0; d--) {
            long long dim = s.v[1 + d];
            long long idx = rest % dim;
            rest /= dim;
            pa += idx * s.v[1 + MAX_RANK + d];
            pb += idx * s.v[1 + 2 * MAX_RANK + d];
        }
        out[i] = binary_apply(op, a[pa], b[pb]);
    }
}

// out[i] = x[i . strides] (permute and any strided gather); strides in v[9..16]
__global__ void gan4j_strided_copy(const float* __restrict__ x, float* out, long long n, Strides s) {
    int rank = (int)s.v[0];
    GRID_STRIDE(i, n) {
        long long rest = i, p = 0;
        for (int d = rank - 1; d >= 0; d--) {
            long long dim = s.v[1 + d];
            p += (rest % dim) * s.v[1 + MAX_RANK + d];
            rest /= dim;
        }
        out[i] = x[p];
    }
}

// y[b][a][j] = x[a][b][j] for x [d0][d1][inner]
__global__ void gan4j_swap_outer(const float* __restrict__ x, float* y, int d0, int d1, long long inner) {
    long long n = (long long)d0 * d1 * inner;
    GRID_STRIDE(i, n) {
        long long j = i % inner;
        long long ab = i / inner;
        long long b = ab % d1;
        long long a = ab / d1;
        y[(b * d0 + a) * inner + j] = x[i];
    }
}

// ------------------------------------------------------------------------------------------------ reductions
// op: 0 sum, 1 max (io.gan4j.core.backend.ReduceOp ordinals). Block size must be 256.
#define RBLOCK 256

// x [outer][length] -> y[outer]; one block per row, fixed tree order: deterministic
__global__ void gan4j_reduce_rows(int op, const float* __restrict__ x, float* y, int outer, int length) {
    __shared__ float sh[RBLOCK];
    for (int row = blockIdx.x; row < outer; row += gridDim.x) {
        const float* p = x + (long long)row * length;
        float acc = op ? __int_as_float(0xff800000) : 0.f;
        for (int i = threadIdx.x; i < length; i += RBLOCK) acc = op ? jmax(acc, p[i]) : acc + p[i];
        sh[threadIdx.x] = acc;
        __syncthreads();
        for (int w = RBLOCK / 2; w > 0; w >>= 1) {
            if (threadIdx.x < w) {
                float o = sh[threadIdx.x + w];
                sh[threadIdx.x] = op ? jmax(sh[threadIdx.x], o) : sh[threadIdx.x] + o;
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) y[row] = sh[0];
        __syncthreads();
    }
}

// x [outer][length][inner] -> y[outer][inner]; one thread per output, index order (as the CPU backend)
__global__ void gan4j_reduce_middle(int op, const float* __restrict__ x, float* y, int outer, int length, int inner) {
    long long n = (long long)outer * inner;
    GRID_STRIDE(t, n) {
        long long o = t / inner, j = t % inner;
        const float* p = x + o * length * inner + j;
        float acc = op ? __int_as_float(0xff800000) : 0.f;
        for (int l = 0; l < length; l++) acc = op ? jmax(acc, p[(long long)l * inner]) : acc + p[(long long)l * inner];
        y[t] = acc;
    }
}

// ------------------------------------------------------------------------------------------------ losses, activations
// BCE with logits, elementwise: loss = max(x, 0) - x t + log(1 + e^-|x|)  (never log of a sigmoid)
__global__ void gan4j_bce_logits_fwd(const float* __restrict__ x, const float* __restrict__ t, float* loss, long long n) {
    GRID_STRIDE(i, n) {
        float v = x[i];
        loss[i] = (float)(fmax((double)v, 0.0) - (double)v * t[i] + log1p(exp(-fabs((double)v))));
    }
}

// dx = g (sigmoid(x) - t), g the upstream gradient of each element's loss (a scalar, e.g. 1/n for the mean)
__global__ void gan4j_bce_logits_bwd(const float* __restrict__ x, const float* __restrict__ t, float g, float* dx, long long n) {
    GRID_STRIDE(i, n) dx[i] = g * (sigmoidf_(x[i]) - t[i]);
}

__global__ void gan4j_leaky_relu_fwd(const float* __restrict__ x, float alpha, float* y, long long n) {
    GRID_STRIDE(i, n) y[i] = leaky(x[i], alpha);
}

// dx = dy * (1 if x > 0 else alpha)
__global__ void gan4j_leaky_relu_bwd(const float* __restrict__ x, const float* __restrict__ dy, float alpha, float* dx, long long n) {
    GRID_STRIDE(i, n) dx[i] = dy[i] * stepf(x[i], alpha);
}

// PReLU with one slope per channel over [n, c, spatial]: y = x if x > 0 else a[c] x
__global__ void gan4j_prelu_fwd(const float* __restrict__ x, const float* __restrict__ a, float* y,
                                long long n, int channels, long long spatial) {
    GRID_STRIDE(i, n) {
        int c = (int)((i / spatial) % channels);
        y[i] = leaky(x[i], a[c]);
    }
}

__global__ void gan4j_prelu_bwd_data(const float* __restrict__ x, const float* __restrict__ a, const float* __restrict__ dy,
                                     float* dx, long long n, int channels, long long spatial) {
    GRID_STRIDE(i, n) {
        int c = (int)((i / spatial) % channels);
        dx[i] = dy[i] * stepf(x[i], a[c]);
    }
}

// da[c] = sum over (batch, spatial) of dy x where x <= 0; one block (RBLOCK threads) per channel, fixed order
__global__ void gan4j_prelu_bwd_alpha(const float* __restrict__ x, const float* __restrict__ dy, float* da,
                                      int batch, int channels, long long spatial) {
    __shared__ double sh[RBLOCK];
    for (int c = blockIdx.x; c < channels; c += gridDim.x) {
        double acc = 0;
        long long per = (long long)batch * spatial;
        for (long long t = threadIdx.x; t < per; t += RBLOCK) {
            long long i = ((t / spatial) * channels + c) * spatial + t % spatial;
            float v = x[i];
            if (!(v > 0.f)) acc += (double)(dy[i] * v);
        }
        sh[threadIdx.x] = acc;
        __syncthreads();
        for (int w = RBLOCK / 2; w > 0; w >>= 1) {
            if (threadIdx.x < w) sh[threadIdx.x] += sh[threadIdx.x + w];
            __syncthreads();
        }
        if (threadIdx.x == 0) da[c] = (float)sh[0];
        __syncthreads();
    }
}

// ------------------------------------------------------------------------------------------------ resampling
// [planes, h, w] -> [planes, h fh, w fw]
__global__ void gan4j_upsample_nearest(const float* __restrict__ x, float* y, int planes, int h, int w, int fh, int fw) {
    long long oh = (long long)h * fh, ow = (long long)w * fw;
    long long n = planes * oh * ow;
    GRID_STRIDE(i, n) {
        long long oj = i % ow, oi = (i / ow) % oh, p = i / (ow * oh);
        y[i] = x[(p * h + oi / fh) * w + oj / fw];
    }
}

// each input pixel gets the sum of its fh x fw copies, row by row (the CPU order)
__global__ void gan4j_upsample_nearest_bwd(const float* __restrict__ dy, float* dx, int planes, int h, int w, int fh, int fw) {
    long long n = (long long)planes * h * w;
    long long ow = (long long)w * fw;
    GRID_STRIDE(i, n) {
        long long j = i % w, r = (i / w) % h, p = i / ((long long)w * h);
        float s = 0.f;
        for (int a = 0; a < fh; a++) {
            const float* src = dy + (p * h * fh + r * fh + a) * ow + j * fw;
            for (int b = 0; b < fw; b++) s += src[b];
        }
        dx[i] = s;
    }
}

// [n, c r r, h, w] <-> [n, c, h r, w r]: big[n][c][i r + a][j r + b] = small[n][(c r + a) r + b][i][j]
__global__ void gan4j_pixel_shuffle(const float* __restrict__ x, float* y, int nb, int c, int h, int w, int r, int inverse) {
    long long oh = (long long)h * r, ow = (long long)w * r;
    long long n = (long long)nb * c * oh * ow;
    GRID_STRIDE(big, n) {
        long long oj = big % ow, oi = (big / ow) % oh, plane = big / (ow * oh);
        long long nn = plane / c, ch = plane % c;
        long long i = oi / r, a = oi % r, j = oj / r, b = oj % r;
        long long small = (((nn * c + ch) * r + a) * r + b) * h * w + i * w + j;
        if (inverse) y[small] = x[big]; else y[big] = x[small];
    }
}

// ------------------------------------------------------------------------------------------------ random numbers
// Philox-4x32-10 exactly as io.gan4j.core.backend.cpu.Philox: key = seed (lo, hi), counter = (index lo,
// index hi, 0, 0); element i of stream (seed, offset) uses counter offset + i. Words 0 and 1 of the block
// are used: word 0 alone for uniform/bernoulli, both for Box-Muller.
__device__ __forceinline__ void philox(unsigned long long seed, unsigned long long index, unsigned* w0, unsigned* w1) {
    unsigned c0 = (unsigned)index, c1 = (unsigned)(index >> 32), c2 = 0u, c3 = 0u;
    unsigned k0 = (unsigned)seed, k1 = (unsigned)(seed >> 32);
    #pragma unroll
    for (int round = 0; round < 10; round++) {
        unsigned lo0 = 0xD2511F53u * c0, hi0 = __umulhi(0xD2511F53u, c0);
        unsigned lo1 = 0xCD9E8D57u * c2, hi1 = __umulhi(0xCD9E8D57u, c2);
        unsigned n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
        c0 = n0; c1 = n1; c2 = n2; c3 = n3;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    *w0 = c0;
    *w1 = c1;
}

__device__ __forceinline__ float uniform01(unsigned bits) { return (float)(bits >> 8) * 5.9604644775390625e-8f; }      // [0, 1)
__device__ __forceinline__ float uniformOpen(unsigned bits) { return (float)((bits >> 8) + 1u) * 5.9604644775390625e-8f; } // (0, 1]

__global__ void gan4j_random_normal(float* y, long long n, float mean, float std, unsigned long long seed, unsigned long long offset) {
    GRID_STRIDE(i, n) {
        unsigned w0, w1;
        philox(seed, offset + (unsigned long long)i, &w0, &w1);
        double u1 = uniformOpen(w0), u2 = uniform01(w1);
        float z = (float)(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
        y[i] = mean + std * z;
    }
}

__global__ void gan4j_random_uniform(float* y, long long n, float low, float high, unsigned long long seed, unsigned long long offset) {
    float span = high - low;
    GRID_STRIDE(i, n) {
        unsigned w0, w1;
        philox(seed, offset + (unsigned long long)i, &w0, &w1);
        float v = low + span * uniform01(w0);
        y[i] = v < high ? v : nextafterf(high, __int_as_float(0xff800000));
    }
}

__global__ void gan4j_random_bernoulli(float* y, long long n, float p, unsigned long long seed, unsigned long long offset) {
    GRID_STRIDE(i, n) {
        unsigned w0, w1;
        philox(seed, offset + (unsigned long long)i, &w0, &w1);
        y[i] = uniform01(w0) < p ? 1.f : 0.f;
    }
}

// ------------------------------------------------------------------------------------------------ optimizer
// Fused Adam/AdamW, as CpuAdam: stepSize = lr / (1 - beta1^t) and bc2Sqrt = sqrt(1 - beta2^t) come from the host.
__global__ void gan4j_adam(float* p, const float* __restrict__ g, float* m, float* v, long long n, float lr,
                           float beta1, float beta2, float eps, float weightDecay, int decoupled,
                           float stepSize, float bc2Sqrt) {
    GRID_STRIDE(i, n) {
        float w = p[i];
        float gi = g[i];
        if (decoupled) {
            w -= lr * weightDecay * w;
        } else if (weightDecay != 0.f) {
            gi += weightDecay * w;
        }
        float mi = beta1 * m[i] + (1.f - beta1) * gi;
        float vi = beta2 * v[i] + (1.f - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = w - stepSize * mi / (sqrtf(vi) / bc2Sqrt + eps);
    }
}

// ------------------------------------------------------------------------------------------------ batch norm
// One block (RBLOCK threads) per channel over x viewed as [n, c, spatial]; sums in double, fixed tree order.
__device__ double block_sum(double v, double* sh) {
    sh[threadIdx.x] = v;
    __syncthreads();
    for (int w = RBLOCK / 2; w > 0; w >>= 1) {
        if (threadIdx.x < w) sh[threadIdx.x] += sh[threadIdx.x + w];
        __syncthreads();
    }
    double r = sh[0];
    __syncthreads();
    return r;
}

__global__ void gan4j_bn_fwd_train(const float* __restrict__ x, const float* __restrict__ gamma, const float* __restrict__ beta,
                                   float* runMean, float* runVar, int hasRunning, float momentum, float eps,
                                   float* y, float* saveMean, float* saveInvStd, int n, int c, long long spatial) {
    __shared__ double sh[RBLOCK];
    long long count = (long long)n * spatial;
    for (int ch = blockIdx.x; ch < c; ch += gridDim.x) {
        double s = 0;
        for (long long t = threadIdx.x; t < count; t += RBLOCK) s += x[((t / spatial) * c + ch) * spatial + t % spatial];
        double mean = block_sum(s, sh) / count;
        double q = 0;
        for (long long t = threadIdx.x; t < count; t += RBLOCK) {
            double d = x[((t / spatial) * c + ch) * spatial + t % spatial] - mean;
            q += d * d;
        }
        double sq = block_sum(q, sh);
        double var = sq / count;
        float invStd = (float)(1.0 / sqrt(var + (double)eps));
        if (threadIdx.x == 0) {
            saveMean[ch] = (float)mean;
            saveInvStd[ch] = invStd;
            if (hasRunning) {
                double unbiased = count > 1 ? sq / (count - 1) : var;
                runMean[ch] = (float)((1 - momentum) * (double)runMean[ch] + momentum * mean);
                runVar[ch] = (float)((1 - momentum) * (double)runVar[ch] + momentum * unbiased);
            }
        }
        float scale = gamma[ch] * invStd;
        float shift = beta[ch] - (float)mean * scale;
        for (long long t = threadIdx.x; t < count; t += RBLOCK) {
            long long i = ((t / spatial) * c + ch) * spatial + t % spatial;
            y[i] = x[i] * scale + shift;
        }
        __syncthreads();
    }
}

__global__ void gan4j_bn_fwd_infer(const float* __restrict__ x, const float* __restrict__ gamma, const float* __restrict__ beta,
                                   const float* __restrict__ runMean, const float* __restrict__ runVar, float eps,
                                   float* y, int c, long long spatial, long long n) {
    GRID_STRIDE(i, n) {
        int ch = (int)((i / spatial) % c);
        float invStd = (float)(1.0 / sqrt((double)(runVar[ch] + eps)));
        float scale = gamma[ch] * invStd;
        float shift = beta[ch] - runMean[ch] * scale;
        y[i] = x[i] * scale + shift;
    }
}

__global__ void gan4j_bn_bwd(const float* __restrict__ x, const float* __restrict__ dy, const float* __restrict__ gamma,
                             const float* __restrict__ saveMean, const float* __restrict__ saveInvStd,
                             float* dx, float* dGamma, float* dBeta, int n, int c, long long spatial) {
    __shared__ double sh[RBLOCK];
    long long count = (long long)n * spatial;
    for (int ch = blockIdx.x; ch < c; ch += gridDim.x) {
        float mean = saveMean[ch], invStd = saveInvStd[ch];
        double sd = 0, sdx = 0;
        for (long long t = threadIdx.x; t < count; t += RBLOCK) {
            long long i = ((t / spatial) * c + ch) * spatial + t % spatial;
            float g = dy[i];
            sd += g;
            sdx += g * (x[i] - mean) * invStd;
        }
        double sumDy = block_sum(sd, sh);
        double sumDyXhat = block_sum(sdx, sh);
        if (threadIdx.x == 0) {
            dGamma[ch] = (float)sumDyXhat;
            dBeta[ch] = (float)sumDy;
        }
        float k = gamma[ch] * invStd;
        float meanDy = (float)(sumDy / count);
        float meanDyXhat = (float)(sumDyXhat / count);
        for (long long t = threadIdx.x; t < count; t += RBLOCK) {
            long long i = ((t / spatial) * c + ch) * spatial + t % spatial;
            float xhat = (x[i] - mean) * invStd;
            dx[i] = k * (dy[i] - meanDy - xhat * meanDyXhat);
        }
        __syncthreads();
    }
}

// ------------------------------------------------------------------------------------------------ GEMM (fallback)
// Row-major C = alpha op(A) op(B) + beta C, batched over blockIdx.z at the given strides. 64 x 64 tiles of C,
// k in steps of 16, 256 threads, each 4 x 4 outputs at rows ty + 16 i, columns tx + 16 j. Used where cuBLAS
// does not load (CudaBackend logs which). beta == 0 never reads C (NaN in C does not leak through).
#define TM 64
#define TN 64
#define TK 16
__global__ void __launch_bounds__(256) gan4j_sgemm(int transA, int transB, int m, int n, int k, float alpha,
        const float* __restrict__ A, int lda, long long strideA, const float* __restrict__ B, int ldb, long long strideB,
        float beta, float* C, int ldc, long long strideC) {
    __shared__ float As[TK][TM + 1];
    __shared__ float Bs[TK][TN + 1];
    A += blockIdx.z * strideA;
    B += blockIdx.z * strideB;
    C += blockIdx.z * strideC;
    int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
    int row0 = blockIdx.y * TM, col0 = blockIdx.x * TN;
    float acc[4][4] = {{0.f}};
    for (int p0 = 0; p0 < k; p0 += TK) {
        for (int e = threadIdx.x; e < TM * TK; e += 256) {
            int i = e / TK, p = e % TK;          // op(A)[row0 + i][p0 + p]
            int gi = row0 + i, gp = p0 + p;
            float va = 0.f;
            if (gi < m && gp < k) va = transA ? A[(long long)gp * lda + gi] : A[(long long)gi * lda + gp];
            As[p][i] = va;
            int j = e % TN, q = e / TN;          // op(B)[p0 + q][col0 + j]
            int gj = col0 + j, gq = p0 + q;
            float vb = 0.f;
            if (gj < n && gq < k) vb = transB ? B[(long long)gj * ldb + gq] : B[(long long)gq * ldb + gj];
            Bs[q][j] = vb;
        }
        __syncthreads();
        #pragma unroll
        for (int p = 0; p < TK; p++) {
            float a[4], b[4];
            #pragma unroll
            for (int i = 0; i < 4; i++) a[i] = As[p][ty + 16 * i];
            #pragma unroll
            for (int j = 0; j < 4; j++) b[j] = Bs[p][tx + 16 * j];
            #pragma unroll
            for (int i = 0; i < 4; i++)
                #pragma unroll
                for (int j = 0; j < 4; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
        }
        __syncthreads();
    }
    #pragma unroll
    for (int i = 0; i < 4; i++) {
        int gi = row0 + ty + 16 * i;
        if (gi >= m) continue;
        #pragma unroll
        for (int j = 0; j < 4; j++) {
            int gj = col0 + tx + 16 * j;
            if (gj >= n) continue;
            float* cp = C + (long long)gi * ldc + gj;
            *cp = beta == 0.f ? alpha * acc[i][j] : alpha * acc[i][j] + beta * *cp;
        }
    }
}

// ------------------------------------------------------------------------------------------------ convolution (fallback)
// im2col + our GEMM, as the CPU backend (CpuConvolution). Geometry passed as ints:
// g = {C, H, W, R, S, strideH, strideW, padH, padW, P, Q}
struct Conv { int C, H, W, R, S, sh, sw, ph, pw, P, Q; };

// col[(c R + r) S + s][nl PQ + p Q + q] = x[n0 + nl][c][p sh - ph + r][q sw - pw + s], 0 outside
__global__ void gan4j_im2col(const float* __restrict__ x, float* col, int n0, int cnt, Conv g) {
    long long pq = (long long)g.P * g.Q;
    long long cols = cnt * pq;
    long long total = (long long)g.C * g.R * g.S * cols;
    GRID_STRIDE(i, total) {
        long long row = i / cols, cidx = i % cols;
        int s = (int)(row % g.S), r = (int)((row / g.S) % g.R), c = (int)(row / ((long long)g.S * g.R));
        long long nl = cidx / pq;
        int p = (int)((cidx % pq) / g.Q), q = (int)(cidx % g.Q);
        int ih = p * g.sh - g.ph + r, iw = q * g.sw - g.pw + s;
        col[i] = (ih >= 0 && ih < g.H && iw >= 0 && iw < g.W)
                ? x[(((long long)(n0 + nl) * g.C + c) * g.H + ih) * g.W + iw] : 0.f;
    }
}

// dx[n0 + nl][c][ih][iw] = sum over (r, s) of col at the (p, q) that reads it; one thread per input pixel,
// in (r, s) order (the CPU order), no atomics
__global__ void gan4j_col2im(const float* __restrict__ col, float* dx, int n0, int cnt, Conv g) {
    long long pq = (long long)g.P * g.Q;
    long long cols = cnt * pq;
    long long total = (long long)cnt * g.C * g.H * g.W;
    GRID_STRIDE(i, total) {
        int iw = (int)(i % g.W), ih = (int)((i / g.W) % g.H);
        long long plane = i / ((long long)g.W * g.H);
        int c = (int)(plane % g.C);
        long long nl = plane / g.C;
        float acc = 0.f;
        for (int r = 0; r < g.R; r++) {
            int tp = ih + g.ph - r;
            if (tp < 0 || tp % g.sh != 0) continue;
            int p = tp / g.sh;
            if (p >= g.P) continue;
            for (int s = 0; s < g.S; s++) {
                int tq = iw + g.pw - s;
                if (tq < 0 || tq % g.sw != 0) continue;
                int q = tq / g.sw;
                if (q >= g.Q) continue;
                acc += col[((long long)(c * g.R + r) * g.S + s) * cols + nl * pq + (long long)p * g.Q + q];
            }
        }
        dx[(((long long)(n0 + nl) * g.C + c) * g.H + ih) * g.W + iw] = acc;
    }
}

} // extern "C"
