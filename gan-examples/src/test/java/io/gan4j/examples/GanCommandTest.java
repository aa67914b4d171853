package io.gan4j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documented commands, run in-process on tiny settings: exit codes, outputs, files, resume, bad input. */
class GanCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run gan(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = new CommandLine(new Gan()).execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void trainWritesCheckpointAndGridAndPrintsDigitQualityThenResumes(@TempDir Path dir) {
        Run first = gan("train", "dcgan-mnist", "--steps", "2", "--batch", "8", "--out", dir.toString());
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("dcgan-mnist: 2 steps"), first.out());
        assertTrue(first.out().contains("digit quality of 1000 samples"), first.out());
        assertTrue(first.out().contains("by recognised digit: within-class diversity"), first.out());
        assertMoreSets(first.out(), "the last weights, step 2", 4, "confident");
        assertTrue(Files.isRegularFile(dir.resolve("checkpoint.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve("samples.png")));

        Run resumed = gan("train", "dcgan-mnist", "--steps", "3", "--batch", "8", "--report-sets", "0",
                "--out", dir.toString(), "--resume");
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.err().contains("at step 2"), resumed.err());
        assertTrue(resumed.out().contains("dcgan-mnist: 1 steps"), resumed.out());
    }

    @Test
    void evaluationsKeepTheBestCheckpointAndTheReportMeasuresIt(@TempDir Path dir) throws Exception {
        Run r = gan("train", "dcgan-mnist", "--steps", "3", "--batch", "8", "--evaluate-every", "2",
                "--report-sets", "1", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        // step 2, and the last step (3) too: the best is chosen between them
        long bestStep = -1;
        for (long step : new long[] {2, 3}) {
            Matcher m = Pattern.compile("(?m)^step " + step + ": confident [0-9.]+ %, classes \\d+/10(.*)$")
                    .matcher(r.out());
            assertTrue(m.find(), "no evaluation line for step " + step + ":\n" + r.out());
            if (m.group(1).contains("best so far")) {
                bestStep = step;
            }
        }
        assertTrue(bestStep > 0, r.out());
        assertTrue(Files.isRegularFile(dir.resolve("best.safetensors")));
        assertTrue(r.out().contains("digit quality of 1000 samples of the last weights, step 3"), r.out());
        assertMoreSets(r.out(), "the last weights, step 3", 1, "confident");
        if (bestStep == 3) {
            assertTrue(r.out().contains("the last weights are the best checkpoint"), r.out());
            assertFalse(Files.exists(dir.resolve("best-samples.png")));
        } else {
            assertTrue(r.out().contains("digit quality of 1000 samples of the best checkpoint, step " + bestStep), r.out());
            assertMoreSets(r.out(), "the best checkpoint, step " + bestStep + ", " + dir.resolve("best.safetensors"), 1,
                    "confident");
            assertTrue(Files.isRegularFile(dir.resolve("best-samples.png")));
        }

        Run resumed = gan("train", "dcgan-mnist", "--steps", "4", "--batch", "8", "--evaluate-every", "2",
                "--report-sets", "0", "--out", dir.toString(), "--resume");
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.out().contains("step 4: confident"), resumed.out());
        // the earlier run's best is kept unless step 4 beats it
        assertTrue(resumed.out().contains("best so far") || resumed.out().contains("(best: step " + bestStep + ")"),
                resumed.out());

        // a damaged best checkpoint stops a resumed run before it trains, with the file named
        Path bestFile = dir.resolve("best.safetensors");
        Files.write(bestFile, new byte[] {1, 2, 3});
        Run damaged = gan("train", "dcgan-mnist", "--steps", "5", "--batch", "8", "--out", dir.toString(), "--resume");
        assertEquals(2, damaged.exit(), damaged.err());
        assertTrue(damaged.err().contains("--resume") && damaged.err().contains(bestFile.toString()), damaged.err());

        Run fresh = gan("train", "dcgan-mnist", "--steps", "1", "--batch", "8", "--evaluate-every", "0",
                "--report-sets", "0", "--out", dir.toString());
        assertEquals(0, fresh.exit(), fresh.err());
        assertTrue(fresh.err().contains("removed " + dir.resolve("best.safetensors")), fresh.err());
        assertFalse(Files.exists(dir.resolve("best.safetensors")));
        assertFalse(fresh.out().contains("best checkpoint"), fresh.out());
    }

    @Test
    void conditionalModelReportsTheRequestedDigitShare(@TempDir Path dir) {
        Run r = gan("train", "cgan-mnist", "--steps", "1", "--batch", "8", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("requested digit"), r.out());
        assertTrue(r.out().contains("by requested digit: within-class diversity"), r.out());
        assertMoreSets(r.out(), "the last weights, step 1", 4, "requested digit");

        Run seeking = gan("train", "cgan-mnist", "--steps", "1", "--batch", "8", "--mode-seeking", "1",
                "--report-sets", "0", "--out", dir.resolve("seeking").toString());
        assertEquals(0, seeking.exit(), seeking.err());
        assertTrue(seeking.out().contains("cgan-mnist: 1 steps"), seeking.out());
        assertFalse(seeking.out().contains("more sets"), seeking.out());
    }

    @Test
    void vanillaGanTrainsOnFlattenedDigits(@TempDir Path dir) {
        Run r = gan("train", "vanilla", "--steps", "1", "--batch", "8", "--lr", "2e-3", "--lr-d", "1e-3",
                "--report-sets", "0", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("digit quality"), r.out());
        assertTrue(r.err().contains("lr G 0.002 D 0.001"), r.err());
    }

    @Test
    void aLatentMixtureDrivesTheRunAndItsCheckpointResumesOnlyWithIt(@TempDir Path dir) {
        String out = dir.toString();
        Run r = gan("train", "dcgan-mnist", "--steps", "2", "--batch", "8", "--latent-mixture", "5",
                "--report-sets", "0", "--out", out);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("z ~ Gaussian mixture (5 components"), r.err());
        assertTrue(r.out().contains("digit quality of 1000 samples of the last weights, step 2"), r.out());

        Run other = gan("train", "dcgan-mnist", "--steps", "3", "--batch", "8", "--latent-mixture", "6",
                "--report-sets", "0", "--out", out, "--resume");
        assertEquals(2, other.exit(), other.err());
        assertTrue(other.err().contains("--resume") && other.err().contains("5 components")
                && other.err().contains("6 components"), other.err());
        Run same = gan("train", "dcgan-mnist", "--steps", "3", "--batch", "8", "--latent-mixture", "5",
                "--report-sets", "0", "--out", out, "--resume");
        assertEquals(0, same.exit(), same.err());
        assertTrue(same.err().contains("at step 2"), same.err());
    }

    @Test
    void badInputIsRefusedWithTheOptionNamed(@TempDir Path dir) {
        String out = dir.toString();
        assertRefused("no-such-model", "train", "no-such-model", "--out", out);
        assertRefused("--steps", "train", "dcgan-mnist", "--steps", "0", "--out", out);
        assertRefused("--mode-seeking", "train", "cgan-mnist", "--mode-seeking", "-1", "--out", out);
        assertRefused("--evaluate-every", "train", "dcgan-mnist", "--evaluate-every", "-1", "--out", out);
        assertRefused("--report-sets", "train", "dcgan-mnist", "--report-sets", "-1", "--out", out);
        assertRefused("--lr-d", "train", "dcgan-mnist", "--lr-d", "0", "--out", out);
        assertRefused("--latent-mixture", "train", "dcgan-mnist", "--latent-mixture", "-1", "--out", out);
        assertRefused("--device", "train", "dcgan-mnist", "--device", "tpu", "--out", out);
        assertRefused("--mixture", "toy", "--mixture", "ring9");
    }

    /** The report's line for {@code which} on {@code sets} more sample sets: its mean lies within its range. */
    private static void assertMoreSets(String out, String which, int sets, String figure) {
        Matcher m = Pattern.compile(Pattern.quote(which + " on " + sets + " more sets of 1000 samples: " + figure)
                + " ([0-9.]+) % on average \\(sets ([0-9.]+)-([0-9.]+) %\\)").matcher(out);
        assertTrue(m.find(), out);
        double mean = Double.parseDouble(m.group(1));
        double low = Double.parseDouble(m.group(2));
        double high = Double.parseDouble(m.group(3));
        assertTrue(0 <= low && low <= mean && mean <= high && high <= 100, m.group());
    }

    /** {@code gan args} exits with 2 and its error names {@code named}. */
    private static void assertRefused(String named, String... args) {
        Run r = gan(args);
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains(named), r.err());
    }

    @Test
    void toyPrintsTheCoverageTable() {
        Run r = gan("toy", "--steps", "20", "--loss", "hinge,wasserstein");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("hinge"), r.out());
        assertTrue(r.out().contains("wasserstein"), r.out());
        assertTrue(r.out().contains("/8"), r.out());
    }
}
