package io.gan4j.examples;

import io.gan4j.core.backend.Device;
import io.gan4j.core.backend.cpu.CpuBackend;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code gan info}: which backends load here, and why the others do not. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the backends available on this machine (and why the others are not).")
final class InfoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println("java      " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        System.out.println("cpu       " + Device.cpu() + ", default threads " + CpuBackend.defaultThreads());
        Device.Choice choice = Device.auto();
        System.out.println("auto      " + choice.backend().name());
        for (String reason : choice.reasons()) {
            System.out.println("          " + reason);
        }
        return 0;
    }
}
