package io.gan4j.core.optim;

import io.gan4j.core.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter 2019) as torch.optim.AdamW: Adam on the raw gradient, with the weight decay
 * decoupled from it, {@code p -= lr * wd * p} before the Adam update.
 */
public final class AdamW extends Adam {
    /** torch.optim.AdamW's defaults: as Adam's, with weight decay 1e-2. */
    public static Config defaults() {
        return Config.defaults().withWeightDecay(1e-2f);
    }

    public AdamW(Map<String, Tensor> namedParams, Config config) {
        super(namedParams, config, true);
    }

    public AdamW(List<Tensor> params, Config config) {
        super(numbered(params), config, true);
    }
}
