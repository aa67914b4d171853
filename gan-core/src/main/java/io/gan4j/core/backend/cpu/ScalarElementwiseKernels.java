package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.UnaryOp;

/** {@link ElementwiseKernels} in plain Java, one element at a time; the vector kernels' reference and tails. */
class ScalarElementwiseKernels implements ElementwiseKernels {

    /** The switch is hoisted out of the loops of the ops of every training step. */
    @Override
    public void unary(UnaryOp op, float a, float[] x, int xo, float[] y, int yo, int n) {
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

    /**
     * 1 for x > 0 or NaN, a otherwise (the derivative of (leaky) ReLU, as the CUDA kernels define it), without a
     * branch.
     */
    static float step(float x, float a) {
        // without its sign bit, max(x, 0) is 0 exactly when x <= 0 (or -0) and positive for x > 0 or NaN, so adding
        // 0x7fffffff sets the sign bit exactly then: m is the indicator, 1 or 0
        float m = ((Float.floatToRawIntBits(Math.max(x, 0f)) & 0x7fffffff) + 0x7fffffff) >>> 31;
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

    @Override
    public void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        switch (op) {
            case ADD:
                for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i];
                break;
            case SUB:
                for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i];
                break;
            case MUL:
                for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i];
                break;
            case DIV:
                for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i];
                break;
            default:
                for (int i = 0; i < n; i++) o[oo + i] = apply(op, a[ao + i], b[bo + i]);
        }
    }

    @Override
    public void binaryScalarRight(BinaryOp op, float[] a, int ao, float b, float[] o, int oo, int n) {
        for (int i = 0; i < n; i++) o[oo + i] = apply(op, a[ao + i], b);
    }

    @Override
    public void binaryScalarLeft(BinaryOp op, float a, float[] b, int bo, float[] o, int oo, int n) {
        for (int i = 0; i < n; i++) o[oo + i] = apply(op, a, b[bo + i]);
    }

    @Override
    public void axpby(float a, float[] x, int xo, float b, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] = a * x[xo + i] + b * y[yo + i];
    }

    @Override
    public void addTo(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += x[xo + i];
    }

    @Override
    public void adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int n,
                     CpuAdam.Coefficients c) {
        float decay = c.decoupledDecay();
        for (int i = 0; i < n; i++) {
            float w = p[po + i];
            float gi = g[go + i];
            if (c.decoupled()) {
                w -= decay * w;
            } else if (c.weightDecay() != 0f) {
                gi += c.weightDecay() * w;
            }
            float mi = c.beta1() * m[mo + i] + c.oneMinusBeta1() * gi;
            float vi = c.beta2() * v[vo + i] + c.oneMinusBeta2() * gi * gi;
            m[mo + i] = mi;
            v[vo + i] = vi;
            // as torch.optim.Adam: p -= lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps)
            p[po + i] = w - c.stepSize() * mi / ((float) Math.sqrt(vi) / c.bc2Sqrt() + c.eps());
        }
    }
}
