package net.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a JVM whose module path lacks Conscrypt: the optional {@code requires static} dependency
 * must leave the JDK engine working and report Conscrypt as unavailable instead of failing.
 *
 * <p>The build always runs the tests on the module path (as {@link TlsModuleTest} insists), so a missing module
 * path is a broken build, not a missing peer: it fails the test everywhere instead of skipping it.
 */
class ConscryptAbsenceTest {
    @Test
    void withoutConscryptOnTheModulePathOnlyTheJdkEngineIsAvailable(@TempDir Path dir) throws Exception {
        String modulePath = System.getProperty("jdk.module.path");
        assertNotNull(modulePath, "tests must run on the module path");
        String withoutConscrypt = Arrays.stream(modulePath.split(File.pathSeparator))
                .filter(e -> !e.contains("conscrypt"))
                .collect(Collectors.joining(File.pathSeparator));
        assertFalse(withoutConscrypt.equals(modulePath), "Conscrypt should be on this test's module path");
        Path check = dir.resolve("Check.java");
        Files.writeString(
                check,
                "public class Check { public static void main(String[] a) {"
                        + " System.out.println(net.proxy.tls.TlsEngine.available().stream()"
                        + ".map(net.proxy.tls.TlsEngine::name).collect(java.util.stream.Collectors.joining(\",\")));"
                        + " try { net.proxy.tls.TlsEngine.named(\"conscrypt\"); }"
                        + " catch (net.proxy.tls.TlsEngineUnavailableException e) { System.out.println(e.getMessage()); } } }");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--module-path",
                        withoutConscrypt,
                        "--add-modules",
                        "net.proxy.tls",
                        check.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
        List<String> lines = out.lines().filter(l -> !l.startsWith("WARNING")).collect(Collectors.toList());
        assertEquals(
                List.of("jdk", "TLS engine conscrypt is unavailable: module org.conscrypt is not in the module graph"),
                lines,
                out);
    }
}
