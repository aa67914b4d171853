package io.gan4j.core.optim;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.Buffer;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent as torch.optim.SGD with dampening 0, in the same order of float operations:
 * {@code d = g + wd * p; buf = momentum * buf + d; d = nesterov ? d + momentum * buf : buf; p -= lr * d}
 * (the momentum buffer starts at zero, so its first value is {@code d}, as PyTorch's clone).
 */
public final class SGD extends Optimizer<SGD.Config> {

    /** Hyper-parameters of one group. */
    public record Config(float lr, float momentum, boolean nesterov, float weightDecay)
            implements Optimizer.Config<Config> {
        /** Plain SGD with this learning rate. */
        public static Config of(float lr) {
            return new Config(lr, 0f, false, 0f);
        }

        @Override
        public Config withLr(float lr) {
            return new Config(lr, momentum, nesterov, weightDecay);
        }

        public Config withMomentum(float momentum) {
            return new Config(lr, momentum, nesterov, weightDecay);
        }

        public Config withNesterov(boolean nesterov) {
            return new Config(lr, momentum, nesterov, weightDecay);
        }

        public Config withWeightDecay(float weightDecay) {
            return new Config(lr, momentum, nesterov, weightDecay);
        }
    }

    public SGD(Map<String, Tensor> namedParams, Config config) {
        super(namedParams, config);
    }

    public SGD(List<Tensor> params, Config config) {
        super(numbered(params), config);
    }

    @Override
    protected void validate(Config c) {
        if (!(c.lr() >= 0) || !(c.momentum() >= 0) || !(c.weightDecay() >= 0)) {
            throw new IllegalArgumentException("SGD: lr, momentum and weight decay must be >= 0, got " + c);
        }
        if (c.nesterov() && c.momentum() == 0) {
            throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0, got " + c);
        }
    }

    @Override
    protected List<String> stateNames(Config c) {
        return c.momentum() != 0 ? List.of("momentum_buffer") : List.of();
    }

    @Override
    protected void update(Config c, Tensor param, Tensor grad, ParamState st) {
        Backend be = param.backend();
        long n = param.numel();
        int[] shape = {(int) n};
        long[] s = Shape.strides(shape);
        try (Buffer d = be.allocate(n); Buffer tmp = be.allocate(n)) {
            be.copy(grad.buffer(), 0, d, 0, n);
            if (c.weightDecay() != 0) {
                be.unary(UnaryOp.MUL_SCALAR, c.weightDecay(), param.buffer(), tmp);
                be.binary(BinaryOp.ADD, d, s, tmp, s, d, shape);
            }
            Buffer direction = d;
            if (c.momentum() != 0) {
                Buffer buf = st.buffer("momentum_buffer").buffer();
                be.unary(UnaryOp.MUL_SCALAR, c.momentum(), buf, buf);
                be.binary(BinaryOp.ADD, buf, s, d, s, buf, shape);
                if (c.nesterov()) {
                    be.unary(UnaryOp.MUL_SCALAR, c.momentum(), buf, tmp);
                    be.binary(BinaryOp.ADD, d, s, tmp, s, d, shape);
                } else {
                    direction = buf;
                }
            }
            be.unary(UnaryOp.MUL_SCALAR, c.lr(), direction, tmp);
            be.binary(BinaryOp.SUB, param.buffer(), s, tmp, s, param.buffer(), shape);
        }
    }
}
