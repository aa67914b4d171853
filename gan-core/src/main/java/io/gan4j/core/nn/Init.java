package io.gan4j.core.nn;

import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

/**
 * Parameter initialisers, as {@code torch.nn.init}: each fills an existing tensor in place (no autograd,
 * no allocation) from an explicit {@link Generator}, so one seed gives the same model every time.
 */
public final class Init {
    private Init() {
    }

    /** The non-linearity that follows a layer, for {@link #gain}. */
    public enum Nonlinearity { LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU }

    /** Which fan a Kaiming initialiser preserves the variance of: forward ({@code FAN_IN}) or backward. */
    public enum FanMode { FAN_IN, FAN_OUT }

    // ---------------------------------------------------------------- plain distributions

    /** {@code N(mean, std^2)}; DCGAN uses {@code normal(w, 0, 0.02, gen)}. */
    public static Tensor normal(Tensor t, float mean, float std, Generator gen) {
        t.backend().randomNormal(t.buffer(), mean, std, gen.seed(), gen.reserve(t.numel()));
        return t;
    }

    /** {@code U[low, high)}. */
    public static Tensor uniform(Tensor t, float low, float high, Generator gen) {
        t.backend().randomUniform(t.buffer(), low, high, gen.seed(), gen.reserve(t.numel()));
        return t;
    }

    public static Tensor constant(Tensor t, float value) {
        t.backend().fill(t.buffer(), value);
        return t;
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0f);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1f);
    }

    // ---------------------------------------------------------------- fan-scaled

    /**
     * {@code [fanIn, fanOut]} of a weight as PyTorch computes them: {@code size(1) * receptive field} and
     * {@code size(0) * receptive field}. (For a transposed convolution, whose weight is {@code [in, out, k, k]},
     * this makes "fan in" the output channels; PyTorch's defaults rely on exactly that.)
     */
    public static int[] fans(Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("fan in and fan out need a tensor of at least 2 dimensions, got "
                    + Shape.str(t.shape()));
        }
        int receptive = (int) (t.numel() / t.size(0) / t.size(1));
        return new int[] {t.size(1) * receptive, t.size(0) * receptive};
    }

    /** The recommended gain for a non-linearity ({@code param}: the leaky ReLU's negative slope). */
    public static double gain(Nonlinearity nonlinearity, double param) {
        return switch (nonlinearity) {
            case LINEAR, SIGMOID -> 1.0;
            case TANH -> 5.0 / 3.0;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> Math.sqrt(2.0 / (1 + param * param));
        };
    }

    /** Glorot & Bengio: {@code U(-b, b)} with {@code b = gain * sqrt(6 / (fanIn + fanOut))}. */
    public static Tensor xavierUniform(Tensor t, double gain, Generator gen) {
        int[] f = fans(t);
        float bound = (float) (gain * Math.sqrt(6.0 / (f[0] + f[1])));
        return uniform(t, -bound, bound, gen);
    }

    /** Glorot & Bengio: {@code N(0, std^2)} with {@code std = gain * sqrt(2 / (fanIn + fanOut))}. */
    public static Tensor xavierNormal(Tensor t, double gain, Generator gen) {
        int[] f = fans(t);
        return normal(t, 0f, (float) (gain * Math.sqrt(2.0 / (f[0] + f[1]))), gen);
    }

    /**
     * He et al.: {@code U(-b, b)} with {@code b = sqrt(3) * gain / sqrt(fan)}; {@code a} is the leaky
     * ReLU's slope (used by {@code LEAKY_RELU} only).
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Generator gen) {
        float bound = (float) (Math.sqrt(3.0) * kaimingStd(t, a, mode, nonlinearity));
        return uniform(t, -bound, bound, gen);
    }

    /** PyTorch's defaults: {@code a = 0}, fan in, leaky ReLU (that is, ReLU's gain). */
    public static Tensor kaimingUniform(Tensor t, Generator gen) {
        return kaimingUniform(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, gen);
    }

    /** He et al.: {@code N(0, std^2)} with {@code std = gain / sqrt(fan)}. */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Generator gen) {
        return normal(t, 0f, (float) kaimingStd(t, a, mode, nonlinearity), gen);
    }

    public static Tensor kaimingNormal(Tensor t, Generator gen) {
        return kaimingNormal(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, gen);
    }

    private static double kaimingStd(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        int[] f = fans(t);
        int fan = mode == FanMode.FAN_IN ? f[0] : f[1];
        return gain(nonlinearity, a) / Math.sqrt(fan);
    }

    // ---------------------------------------------------------------- layer defaults

    /**
     * PyTorch's default for Linear and convolution layers: weight kaiming-uniform with {@code a = sqrt(5)}
     * (which works out to {@code U(±1/sqrt(fanIn))}) and bias {@code U(±1/sqrt(fanIn))}, fan in taken from
     * the weight. {@code bias} may be null.
     */
    static void pytorchDefault(Tensor weight, Tensor bias, Generator gen) {
        kaimingUniform(weight, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, gen);
        if (bias != null) {
            float bound = (float) (1 / Math.sqrt(fans(weight)[0]));
            uniform(bias, -bound, bound, gen);
        }
    }

    /**
     * The DCGAN initialisation (Radford et al. 2016, and the PyTorch DCGAN example's {@code weights_init}):
     * every convolution, transposed convolution and linear weight from {@code N(0, 0.02)}, every batch-norm
     * weight from {@code N(1, 0.02)} and its bias 0. Other biases keep their values, as in the reference.
     * Modules are visited in registration order, so the same seed gives the same model.
     */
    public static <M extends Module> M dcgan(M model, Generator gen) {
        for (Module m : model.modules()) {
            if (m instanceof Conv2d || m instanceof ConvTranspose2d || m instanceof Linear) {
                // a spectrally normalised layer keeps its raw weight as weight_orig
                normal(m.hasParameter("weight") ? m.parameter("weight") : m.parameter("weight_orig"), 0f, 0.02f, gen);
            } else if (m instanceof AbstractBatchNorm bn && bn.weight() != null) {
                normal(bn.weight(), 1f, 0.02f, gen);
                zeros(bn.bias());
            }
        }
        return model;
    }
}
