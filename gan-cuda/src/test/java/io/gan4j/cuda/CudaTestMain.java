package io.gan4j.cuda;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs every gan-cuda test without Maven (the GPU machine has none: gan-cuda/gpu/run-cuda-tests.sh), one line
 * per test: {@code PASS|FAIL|SKIP <class>#<test>: <reason>}, then the summary. Exit 0 only when nothing failed.
 * Not a test itself (no @Test), so surefire ignores it.
 */
public final class CudaTestMain {
    private CudaTestMain() {
    }

    public static void main(String[] args) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("io.gan4j.cuda")).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        TestExecutionListener lines = new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                System.out.println("SKIP " + name(id) + ": " + reason);
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                    return;
                }
                String why = result.getThrowable().map(t -> ": " + t).orElse("");
                String status = switch (result.getStatus()) {
                    case SUCCESSFUL -> "PASS";
                    case ABORTED -> "SKIP";
                    case FAILED -> "FAIL";
                };
                System.out.println(status + " " + name(id) + why.lines().findFirst().orElse(""));
            }
        };
        launcher.execute(request, summary, lines);
        TestExecutionSummary s = summary.getSummary();
        s.printFailuresTo(new PrintWriter(System.out, true), 20);
        s.printTo(new PrintWriter(System.out, true));
        System.exit(s.getTotalFailureCount() == 0 ? 0 : 1);
    }

    private static String name(TestIdentifier id) {
        return id.getLegacyReportingName().isEmpty() ? id.getDisplayName()
                : id.getUniqueId().replaceAll(".*class:io\\.gan4j\\.cuda\\.([^\\]]*)\\].*", "$1") + "#" + id.getDisplayName();
    }
}
