package io.gan4j.core.backend;

import io.gan4j.core.backend.cpu.CpuBackend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * Chooses the backend tensors are created on. {@code Device.auto()} takes the best backend that loads on
 * this machine (CUDA when a GPU and its libraries load), else the CPU backend with a one-line reason.
 */
public final class Device {
    private static final Logger LOG = Logger.getLogger(Device.class.getName());
    private static volatile Backend cpu;
    private static volatile Backend current;

    private Device() {
    }

    /** The shared CPU backend (threads: {@code gan4j.threads} or all processors). */
    public static Backend cpu() {
        Backend b = cpu;
        if (b == null) {
            synchronized (Device.class) {
                if (cpu == null) {
                    cpu = new CpuBackend();
                }
                b = cpu;
            }
        }
        return b;
    }

    /** The backend that tensor factories use when none is given: the CPU one unless {@link #use} changed it. */
    public static Backend current() {
        Backend b = current;
        return b != null ? b : cpu();
    }

    /** Makes {@code backend} the default for tensor factories. */
    public static void use(Backend backend) {
        current = backend;
    }

    /** Result of choosing a backend: the backend, and why better ones were not taken. */
    public record Choice(Backend backend, List<String> reasons) {
    }

    /** The highest-priority backend that loads, else the CPU one; the reasons say why others did not. */
    public static Choice auto() {
        List<String> reasons = new ArrayList<>();
        List<BackendProvider> providers = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(providers::add);
        providers.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        for (BackendProvider p : providers) {
            try {
                return new Choice(p.create(), reasons);
            } catch (BackendUnavailableException | RuntimeException | LinkageError e) {
                String reason = "no " + p.name() + ": " + e.getMessage();
                reasons.add(reason);
                LOG.info(reason + "; using the cpu backend");
            }
        }
        return new Choice(cpu(), reasons);
    }

    /** The backend of that name ("cpu", "cuda", or "auto"), or an error saying why it cannot be used. */
    public static Backend named(String name) throws BackendUnavailableException {
        if (name.equals("cpu")) {
            return cpu();
        }
        if (name.equals("auto")) {
            return auto().backend();
        }
        List<String> known = new ArrayList<>(List.of("cpu", "auto"));
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals(name)) {
                return p.create();
            }
            known.add(p.name());
        }
        throw new BackendUnavailableException("unknown device '" + name + "'; expected one of " + known);
    }
}
