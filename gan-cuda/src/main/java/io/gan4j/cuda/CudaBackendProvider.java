package io.gan4j.cuda;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.BackendProvider;
import io.gan4j.core.backend.BackendUnavailableException;

/** Makes {@link CudaBackend} known to {@code Device.auto()} / {@code --device cuda} through ServiceLoader. */
public final class CudaBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Backend create() throws BackendUnavailableException {
        return CudaBackend.create(CudaBackend.Options.defaults());
    }
}
