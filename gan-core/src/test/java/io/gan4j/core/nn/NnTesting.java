package io.gan4j.core.nn;

import io.gan4j.core.autograd.GradCheck;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers shared by the layer tests. */
final class NnTesting {
    private NnTesting() {
    }

    /**
     * Normal numbers pushed at least 0.1 away from zero, so that finite differences (step 1e-2) never
     * straddle the kink of a ReLU-like function.
     */
    static Tensor awayFromZero(Generator gen, int... shape) {
        float[] x = Tensor.randn(gen, shape).toArray();
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.copySign(Math.abs(x[i]) + 0.1f, x[i]);
        }
        return Tensor.of(x, shape);
    }

    /** Finite-difference check of {@code module.forward} with respect to the input and every parameter. */
    static void checkGradients(String what, Module module, Tensor x) {
        checkGradients(what, module, x, true);
    }

    /**
     * Finite-difference check of {@code module.forward(x)} with respect to every parameter, and to
     * {@code x} when {@code wrtInput}. Parameters are substituted with {@link Module#setParameter} so that
     * {@link GradCheck} can move them; the originals are put back afterwards.
     */
    static void checkGradients(String what, Module module, Tensor x, boolean wrtInput) {
        Map<String, Tensor> originals = module.namedParameters();
        List<String> names = new ArrayList<>(originals.keySet());
        int first = wrtInput ? 1 : 0;
        Tensor[] inputs = new Tensor[names.size() + first];
        if (wrtInput) {
            inputs[0] = x;
        }
        for (int i = 0; i < names.size(); i++) {
            inputs[first + i] = originals.get(names.get(i));
        }
        try {
            GradCheck.float32().check(what, xs -> {
                for (int i = 0; i < names.size(); i++) {
                    module.setParameter(names.get(i), xs[first + i]);
                }
                return module.forward(wrtInput ? xs[0] : x);
            }, inputs);
        } finally {
            originals.forEach(module::setParameter);
        }
    }

    /** Independent copies of a module's state (values, not the module's tensors). */
    static Map<String, Tensor> copyOfState(Module m) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, t) -> out.put(k, Tensor.of(t.toArray(), t.shape())));
        return out;
    }

    static double mean(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s / x.length;
    }

    static double std(float[] x) {
        double m = mean(x);
        double s = 0;
        for (float v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / x.length);
    }

    static double maxAbs(float[] x) {
        double m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
