package io.gan4j.examples;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.BackendUnavailableException;
import io.gan4j.core.backend.Device;
import io.gan4j.core.data.GaussianMixture2d;
import io.gan4j.core.loss.GanLoss;
import io.gan4j.core.metrics.ModeCoverage;
import io.gan4j.models.MixtureExperiment;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code gan toy}: a Vanilla GAN on a 2-D Gaussian mixture, mode coverage for each loss side by side. */
@Command(name = "toy", mixinStandardHelpOptions = true,
        description = {"Train a Vanilla GAN on a 2-D Gaussian mixture and print its mode coverage:",
            "modes covered, share of high-quality samples (within 3 sigma of a mode), KL of the mode",
            "histogram to uniform, for 2,500 samples."})
final class ToyCommand implements Callable<Integer> {

    @Option(names = "--mixture", defaultValue = "ring8",
            description = "ring8 (radius 2, sigma 0.02) or grid25 (5x5, sigma 0.05). Default: ${DEFAULT-VALUE}.")
    String mixture;

    @Option(names = "--loss", defaultValue = "non-saturating", split = ",",
            description = "Loss strategies, comma-separated, or 'all': minimax, non-saturating, least-squares, "
                    + "hinge, wasserstein (with gradient penalty). Default: ${DEFAULT-VALUE}.")
    List<String> losses;

    @Option(names = "--steps", description = "Training iterations (default: the library default for the toy).")
    Integer steps;

    @Option(names = "--r1", description = "R1 penalty weight on the discriminator, 0 for none (default: the library "
            + "default, 0.1; the Wasserstein critic always gets WGAN-GP's gradient penalty instead).")
    Float r1;

    @Option(names = "--seed", defaultValue = "1", description = "The run's seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or auto. Default: ${DEFAULT-VALUE}.")
    String device;

    @Override
    public Integer call() throws Exception {
        GaussianMixture2d target;
        switch (mixture) {
            case "ring8":
                target = GaussianMixture2d.ring8();
                break;
            case "grid25":
                target = GaussianMixture2d.grid25();
                break;
            default:
                System.err.println("gan toy: --mixture: expected ring8 or grid25, got '" + mixture + "'");
                return 2;
        }
        List<String> names = losses.size() == 1 && losses.get(0).equals("all") ? GanLoss.NAMES : losses;
        List<GanLoss> strategies = new ArrayList<>();
        for (String name : names) {
            try {
                strategies.add(GanLoss.named(name));
            } catch (IllegalArgumentException e) {
                System.err.println("gan toy: --loss: " + e.getMessage());
                return 2;
            }
        }
        MixtureExperiment base = MixtureExperiment.defaults(seed).withMixture(target);
        if (steps != null) {
            if (steps < 1) {
                System.err.println("gan toy: --steps: expected a positive number of iterations, got " + steps);
                return 2;
            }
            base = base.withSteps(steps);
        }
        if (r1 != null) {
            if (!(r1 >= 0) || r1.isInfinite()) {
                System.err.println("gan toy: --r1: expected a finite weight >= 0, got " + r1);
                return 2;
            }
            base = base.withR1Gamma(r1);
        }
        Backend backend;
        try {
            backend = Device.named(device);
        } catch (BackendUnavailableException e) {
            System.err.println("gan toy: --device: " + e.getMessage());
            return 2;
        }
        Map<String, ModeCoverage.Report> results = new LinkedHashMap<>();
        for (GanLoss loss : strategies) {
            MixtureExperiment exp = base.withLoss(loss);
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName(loss.name()).setInitialMax(exp.steps())
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .setUpdateIntervalMillis(500).build()) {
                ModeCoverage.Report r = exp.run(backend, s -> {
                    bar.step();
                    if (s.step() % 100 == 0) {
                        bar.setExtraMessage(String.format(" D(x) %.2f D(G(z)) %.2f", s.dReal(), s.dFake()));
                    }
                });
                results.put(loss.name(), r);
            }
        }
        System.out.printf("%s, %s, seed %d, %d steps, batch %d, R1 %s (wasserstein: gradient penalty);"
                        + " coverage of %d samples of the EMA generator:%n",
                target.name(), backend, seed, base.steps(), base.batch(),
                base.r1Gamma() > 0 ? "gamma " + base.r1Gamma() : "off", MixtureExperiment.EVALUATION_SAMPLES);
        System.out.printf("%-16s %8s %14s %10s%n", "loss", "modes", "high-quality", "KL");
        for (Map.Entry<String, ModeCoverage.Report> e : results.entrySet()) {
            ModeCoverage.Report r = e.getValue();
            System.out.printf("%-16s %4d/%-3d %13.1f%% %10.3f%n", e.getKey(), r.modesCovered(), r.modes(),
                    100 * r.highQualityFraction(), r.klToUniform());
        }
        return 0;
    }
}
