package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.ReduceOp;
import io.gan4j.core.backend.UnaryOp;

/** Elementwise maps, broadcasting, permutation and reductions of the CPU backend. */
final class CpuElementwise {
    private static final int GRAIN = 1 << 14;

    private final Parallel parallel;

    CpuElementwise(Parallel parallel) {
        this.parallel = parallel;
    }

    void unary(UnaryOp op, float alpha, CpuBuffer x, CpuBuffer y) {
        float[] xs = x.array();
        float[] ys = y.array();
        int xo = x.offset();
        int yo = y.offset();
        parallel.forRange(x.size(), GRAIN, (from, to) -> unaryRange(op, alpha, xs, xo + from, ys, yo + from, to - from));
    }

    /** The switch is hoisted out of the loop for the ops of every training step, so that they vectorise. */
    private static void unaryRange(UnaryOp op, float a, float[] x, int xo, float[] y, int yo, int n) {
        switch (op) {
            // activations in branch-free form: their signs are random, so a branch mispredicts half the time
            case RELU:
                for (int i = 0; i < n; i++) y[yo + i] = relu(x[xo + i]);
                break;
            case LEAKY_RELU:
                for (int i = 0; i < n; i++) y[yo + i] = leakyRelu(x[xo + i], a);
                break;
            case STEP:
                for (int i = 0; i < n; i++) y[yo + i] = step(x[xo + i], a);
                break;
            case NEG:
                for (int i = 0; i < n; i++) y[yo + i] = -x[xo + i];
                break;
            case SQUARE:
                for (int i = 0; i < n; i++) y[yo + i] = x[xo + i] * x[xo + i];
                break;
            case ADD_SCALAR:
                for (int i = 0; i < n; i++) y[yo + i] = x[xo + i] + a;
                break;
            case MUL_SCALAR:
                for (int i = 0; i < n; i++) y[yo + i] = x[xo + i] * a;
                break;
            default:
                for (int i = 0; i < n; i++) y[yo + i] = apply(op, a, x[xo + i]);
        }
    }

    static float apply(UnaryOp op, float a, float x) {
        switch (op) {
            case NEG: return -x;
            case EXP: return (float) Math.exp(x);
            case LOG: return (float) Math.log(x);
            case SQRT: return (float) Math.sqrt(x);
            case SQUARE: return x * x;
            case ABS: return Math.abs(x);
            case SIGN: return Math.signum(x);
            case RECIPROCAL: return 1f / x;
            case TANH: return (float) Math.tanh(x);
            case SIGMOID: return sigmoid(x);
            case RELU: return relu(x);
            case LEAKY_RELU: return leakyRelu(x, a);
            case SOFTPLUS: return softplus(x);
            case STEP: return step(x, a);
            case ADD_SCALAR: return x + a;
            case MUL_SCALAR: return x * a;
            case POW_SCALAR: return pow(x, a);
            case MIN_SCALAR: return Math.min(x, a);
            case MAX_SCALAR: return Math.max(x, a);
            default: throw new IllegalArgumentException("unknown unary op " + op);
        }
    }

    /** max(x, 0); NaN stays NaN. */
    static float relu(float x) {
        return Math.max(x, 0f);
    }

    /** x for x > 0, a x otherwise: exactly, as max(x, 0) + a min(x, 0) has one of its terms zero. */
    static float leakyRelu(float x, float a) {
        return Math.max(x, 0f) + a * Math.min(x, 0f);
    }

    /** 1 for x > 0, a otherwise (the derivative of (leaky) ReLU), without a branch. */
    static float step(float x, float a) {
        // the bits of max(x, 0) are 0 exactly when x <= 0 (or x is -0), so adding 0x7fffffff sets the sign
        // bit exactly when x > 0 (or NaN): m is the indicator, 1 or 0
        float m = (Float.floatToRawIntBits(Math.max(x, 0f)) + 0x7fffffff) >>> 31;
        return m + (1f - m) * a;
    }

    static float sigmoid(float x) {
        // two branches so that exp never overflows
        if (x >= 0) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    static float softplus(float x) {
        // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exact for large |x|
        return (float) (Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x))));
    }

    private static float pow(float x, float a) {
        if (a == 2f) {
            return x * x;
        }
        if (a == 1f) {
            return x;
        }
        return (float) Math.pow(x, a);
    }

    static float apply(BinaryOp op, float a, float b) {
        switch (op) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: return a / b;
            case MAX: return Math.max(a, b);
            case MIN: return Math.min(a, b);
            case EQ: return a == b ? 1f : 0f;
            case GT: return a > b ? 1f : 0f;
            case POW: return (float) Math.pow(a, b);
            default: throw new IllegalArgumentException("unknown binary op " + op);
        }
    }

    void binary(BinaryOp op, CpuBuffer a, long[] as, CpuBuffer b, long[] bs, CpuBuffer out, int[] shape) {
        float[] av = a.array();
        float[] bv = b.array();
        float[] ov = out.array();
        int ao = a.offset();
        int bo = b.offset();
        int oo = out.offset();
        int rank = shape.length;
        if (rank == 0) {
            ov[oo] = apply(op, av[ao], bv[bo]);
            return;
        }
        int inner = shape[rank - 1];
        int rows = 1;
        for (int d = 0; d < rank - 1; d++) {
            rows *= shape[d];
        }
        int ia = (int) as[rank - 1];
        int ib = (int) bs[rank - 1];
        int grain = Math.max(1, GRAIN / Math.max(1, inner));
        parallel.forRange(rows, grain, (from, to) -> {
            for (int row = from; row < to; row++) {
                // offsets of this row in a and b, from its multi-index over the leading axes
                long pa = ao;
                long pb = bo;
                int rest = row;
                for (int d = rank - 2; d >= 0; d--) {
                    int idx = rest % shape[d];
                    rest /= shape[d];
                    pa += idx * as[d];
                    pb += idx * bs[d];
                }
                int o = oo + row * inner;
                int x = (int) pa;
                int y = (int) pb;
                if (ia == 1 && ib == 1) {
                    binaryRow(op, av, x, bv, y, ov, o, inner);
                } else {
                    for (int i = 0; i < inner; i++, x += ia, y += ib) {
                        ov[o + i] = apply(op, av[x], bv[y]);
                    }
                }
            }
        });
    }

    /** The common contiguous case, with the switch hoisted out of the loop so that it vectorises. */
    private static void binaryRow(BinaryOp op, float[] a, int x, float[] b, int y, float[] o, int z, int n) {
        switch (op) {
            case ADD:
                for (int i = 0; i < n; i++) o[z + i] = a[x + i] + b[y + i];
                break;
            case SUB:
                for (int i = 0; i < n; i++) o[z + i] = a[x + i] - b[y + i];
                break;
            case MUL:
                for (int i = 0; i < n; i++) o[z + i] = a[x + i] * b[y + i];
                break;
            case DIV:
                for (int i = 0; i < n; i++) o[z + i] = a[x + i] / b[y + i];
                break;
            default:
                for (int i = 0; i < n; i++) o[z + i] = apply(op, a[x + i], b[y + i]);
        }
    }

    void permute(CpuBuffer x, int[] shape, int[] perm, CpuBuffer y) {
        int rank = shape.length;
        float[] xs = x.array();
        float[] ys = y.array();
        int xo = x.offset();
        int yo = y.offset();
        long[] inStrides = new long[rank];
        long s = 1;
        for (int d = rank - 1; d >= 0; d--) {
            inStrides[d] = s;
            s *= shape[d];
        }
        int[] outShape = new int[rank];
        long[] strides = new long[rank];   // input stride of each output axis
        for (int d = 0; d < rank; d++) {
            outShape[d] = shape[perm[d]];
            strides[d] = inStrides[perm[d]];
        }
        if (rank == 0) {
            ys[yo] = xs[xo];
            return;
        }
        int inner = outShape[rank - 1];
        int rows = (int) (s / Math.max(1, inner));
        int step = (int) strides[rank - 1];
        parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, inner)), (from, to) -> {
            for (int row = from; row < to; row++) {
                long p = xo;
                int rest = row;
                for (int d = rank - 2; d >= 0; d--) {
                    int idx = rest % outShape[d];
                    rest /= outShape[d];
                    p += idx * strides[d];
                }
                int src = (int) p;
                int dst = yo + row * inner;
                for (int i = 0; i < inner; i++, src += step) {
                    ys[dst + i] = xs[src];
                }
            }
        });
    }

    void reduce(ReduceOp op, CpuBuffer x, int outer, int length, int inner, CpuBuffer y) {
        float[] xs = x.array();
        float[] ys = y.array();
        int xo = x.offset();
        int yo = y.offset();
        boolean max = op == ReduceOp.MAX;
        if (inner == 1) {
            parallel.forRange(outer, Math.max(1, GRAIN / Math.max(1, length)), (from, to) -> {
                for (int o = from; o < to; o++) {
                    int base = xo + o * length;
                    float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                    if (max) {
                        for (int i = 0; i < length; i++) acc = Math.max(acc, xs[base + i]);
                    } else {
                        acc = sumPairwise(xs, base, length);
                    }
                    ys[yo + o] = acc;
                }
            });
            return;
        }
        // reduce the middle axis row by row; each output column accumulates in index order
        parallel.forRange(outer * inner, Math.max(1, GRAIN / Math.max(1, length)), (from, to) -> {
            int o = from / inner;
            int j0 = from % inner;
            int i = from;
            while (i < to) {
                int j1 = Math.min(inner, j0 + (to - i));
                int dst = yo + o * inner;
                for (int j = j0; j < j1; j++) ys[dst + j] = max ? Float.NEGATIVE_INFINITY : 0f;
                for (int l = 0; l < length; l++) {
                    int src = xo + (o * length + l) * inner;
                    if (max) {
                        for (int j = j0; j < j1; j++) ys[dst + j] = Math.max(ys[dst + j], xs[src + j]);
                    } else {
                        for (int j = j0; j < j1; j++) ys[dst + j] += xs[src + j];
                    }
                }
                i += j1 - j0;
                o++;
                j0 = 0;
            }
        });
    }

    /** Sum in a fixed pairwise order: accurate for long rows, and identical on every run. */
    private static float sumPairwise(float[] x, int from, int n) {
        if (n <= 256) {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                s0 += x[from + i];
                s1 += x[from + i + 1];
                s2 += x[from + i + 2];
                s3 += x[from + i + 3];
            }
            for (; i < n; i++) s0 += x[from + i];
            return (s0 + s1) + (s2 + s3);
        }
        int half = (n / 2 + 7) & ~7;
        return sumPairwise(x, from, half) + sumPairwise(x, from + half, n - half);
    }
}
