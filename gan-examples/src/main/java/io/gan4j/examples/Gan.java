package io.gan4j.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gan} command line: one subcommand per job. */
@Command(name = "gan", mixinStandardHelpOptions = true, version = "gan4j 0.1.0",
        description = "Train, sample and evaluate generative adversarial networks on the CPU or a CUDA GPU.",
        subcommands = {ToyCommand.class, TrainCommand.class, InfoCommand.class, CommandLine.HelpCommand.class})
public final class Gan implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Gan()).execute(args));
    }
}
