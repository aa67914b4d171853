package io.gan4j.core.backend;

/** Elementwise functions of two tensors, with broadcasting. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV,
    /** max(a, b) */
    MAX,
    /** min(a, b) */
    MIN,
    /** 1 if a == b else 0 */
    EQ,
    /** 1 if a &gt; b else 0 */
    GT,
    /** a ^ b */
    POW
}
