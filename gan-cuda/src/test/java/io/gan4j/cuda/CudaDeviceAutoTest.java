package io.gan4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import io.gan4j.core.backend.BackendProvider;
import io.gan4j.core.backend.BackendUnavailableException;
import io.gan4j.core.backend.Device;

/** Runs everywhere: the provider is found; without CUDA, Device.auto() takes the CPU with a one-line reason. */
class CudaDeviceAutoTest {

    @Test
    void serviceLoaderFindsTheCudaProvider() {
        BackendProvider p = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("cuda")).findFirst().orElseThrow();
        assertTrue(p instanceof CudaBackendProvider);
        assertTrue(p.priority() > 0, "preferred to the cpu backend (priority 0)");
    }

    @Test
    void autoPicksCudaWhenItLoadsElseCpuWithAOneLineReason() {
        Device.Choice choice = Device.auto();
        System.out.println("[cuda-test] Device.auto(): " + choice.backend() + " " + choice.reasons());
        if (choice.backend().name().equals("cuda")) {
            assertTrue(choice.reasons().isEmpty());
            choice.backend().close();
            return;
        }
        assertEquals("cpu", choice.backend().name());
        assertEquals(1, choice.reasons().size(), choice.reasons()::toString);
        String reason = choice.reasons().get(0);
        assertTrue(reason.startsWith("no cuda: "), reason);
        assertFalse(reason.substring("no cuda: ".length()).isBlank());
        assertFalse(reason.contains("\n"), "one line: " + reason);
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Device.named("cuda"));
        assertFalse(e.getMessage().contains("\n"));
    }
}
