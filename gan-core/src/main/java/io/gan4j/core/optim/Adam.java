package io.gan4j.core.optim;

import io.gan4j.core.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) as torch.optim.Adam, with bias correction, on the backend's fused kernel:
 * {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}.
 * Weight decay here is L2 added to the gradient ({@code g += wd * p}); for decoupled decay use {@link AdamW}.
 */
public class Adam extends Optimizer<Adam.Config> {

    /** Hyper-parameters of one group. */
    public record Config(float lr, float beta1, float beta2, float eps, float weightDecay)
            implements Optimizer.Config<Config> {
        /** PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
        public static Config defaults() {
            return new Config(1e-3f, 0.9f, 0.999f, 1e-8f, 0f);
        }

        @Override
        public Config withLr(float lr) {
            return new Config(lr, beta1, beta2, eps, weightDecay);
        }

        public Config withBetas(float beta1, float beta2) {
            return new Config(lr, beta1, beta2, eps, weightDecay);
        }

        public Config withEps(float eps) {
            return new Config(lr, beta1, beta2, eps, weightDecay);
        }

        public Config withWeightDecay(float weightDecay) {
            return new Config(lr, beta1, beta2, eps, weightDecay);
        }
    }

    private final boolean decoupled;

    public Adam(Map<String, Tensor> namedParams, Config config) {
        this(namedParams, config, false);
    }

    public Adam(List<Tensor> params, Config config) {
        this(numbered(params), config, false);
    }

    protected Adam(Map<String, Tensor> namedParams, Config config, boolean decoupled) {
        super(namedParams, config);
        this.decoupled = decoupled;
    }

    @Override
    protected void validate(Config c) {
        String name = getClass().getSimpleName();
        if (!(c.lr() >= 0) || !(c.eps() >= 0) || !(c.weightDecay() >= 0)) {
            throw new IllegalArgumentException(name + ": lr, eps and weight decay must be >= 0, got " + c);
        }
        if (!(c.beta1() >= 0 && c.beta1() < 1) || !(c.beta2() >= 0 && c.beta2() < 1)) {
            throw new IllegalArgumentException(name + ": betas must be in [0, 1), got " + c);
        }
    }

    @Override
    protected List<String> stateNames(Config c) {
        return List.of("exp_avg", "exp_avg_sq");
    }

    @Override
    protected void update(Config c, Tensor param, Tensor grad, ParamState st) {
        param.backend().adamStep(param.buffer(), grad.buffer(), st.buffer("exp_avg").buffer(),
                st.buffer("exp_avg_sq").buffer(), c.lr(), c.beta1(), c.beta2(), c.eps(), c.weightDecay(),
                decoupled, st.step());
    }
}
