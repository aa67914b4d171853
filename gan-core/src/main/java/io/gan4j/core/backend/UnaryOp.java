package io.gan4j.core.backend;

/**
 * Elementwise functions of one tensor; some take a scalar parameter {@code alpha}.
 * A backend implements each exactly as the formula here says; the CPU backend is the reference.
 */
public enum UnaryOp {
    /** -x */
    NEG,
    /** e^x */
    EXP,
    /** ln x */
    LOG,
    /** sqrt x */
    SQRT,
    /** x * x */
    SQUARE,
    /** |x| */
    ABS,
    /** sign(x) in {-1, 0, 1} */
    SIGN,
    /** 1 / x */
    RECIPROCAL,
    /** tanh x */
    TANH,
    /** 1 / (1 + e^-x) */
    SIGMOID,
    /** max(x, 0) */
    RELU,
    /** x if x &gt; 0 else alpha * x */
    LEAKY_RELU,
    /** ln(1 + e^x), computed without overflow */
    SOFTPLUS,
    /** 1 if x &gt; 0 else alpha (the derivative of LEAKY_RELU; RELU with alpha = 0) */
    STEP,
    /** x + alpha */
    ADD_SCALAR,
    /** x * alpha */
    MUL_SCALAR,
    /** x ^ alpha */
    POW_SCALAR,
    /** min(x, alpha) */
    MIN_SCALAR,
    /** max(x, alpha) */
    MAX_SCALAR
}
