package io.gan4j.core.nn;

import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

import java.util.Arrays;

/** {@code x + body(x)} (a residual block, as in SRGAN's generator); the body is the sub-module {@code "body"}. */
public final class Residual extends Module {
    private final Module body;

    public Residual(Module body) {
        this.body = registerModule("body", body);
    }

    public Module body() {
        return body;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = body.forward(x);
        if (!Arrays.equals(y.shape(), x.shape())) {
            throw new IllegalArgumentException("Residual: the body maps " + Shape.str(x.shape()) + " to "
                    + Shape.str(y.shape()) + "; a residual block needs the same shape");
        }
        return x.add(y);
    }
}
