package io.gan4j.core.backend;

/** Reductions along one axis. */
public enum ReduceOp {
    SUM, MAX
}
