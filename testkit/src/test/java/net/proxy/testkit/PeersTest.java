package net.proxy.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class PeersTest {
    @TempDir
    Path dir;

    private static UnaryOperator<String> env(Map<String, String> vars) {
        return vars::get;
    }

    private Path program(Path where, String name) throws IOException {
        Files.createDirectories(where);
        return Files.createFile(
                where.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @Test
    void findsAProgramOnThePathInOrder() throws IOException {
        Path first = program(dir.resolve("a"), "peer");
        program(dir.resolve("b"), "peer");
        String path =
                dir.resolve("empty") + File.pathSeparator + dir.resolve("a") + File.pathSeparator + dir.resolve("b");
        assertEquals(first, Peers.require("peer", env(Map.of("PATH", path)), List.of()));
        assertEquals(first, Peers.require("peer", env(Map.of("PATH", path, "CI", "true")), List.of()));
    }

    @Test
    void findsAProgramInTheFallbackDirectoriesAfterThePath() throws IOException {
        Path sbin = program(dir.resolve("sbin"), "daemon");
        assertEquals(sbin, Peers.require("daemon", env(Map.of("PATH", dir.toString())), List.of(dir.resolve("sbin"))));
        assertEquals(sbin, Peers.require("daemon", env(Map.of()), List.of(dir.resolve("sbin"))));
    }

    @Test
    void ignoresFilesThatAreNotExecutableAndDirectories() throws IOException {
        Files.createFile(dir.resolve("plain"));
        Files.createDirectories(dir.resolve("folder"));
        assertNull(Peers.find("plain", dir.toString(), List.of()));
        assertNull(Peers.find("folder", dir.toString(), List.of()));
    }

    @Test
    void aMissingProgramSkipsTheTestOutsideCi() {
        for (Map<String, String> vars : List.<Map<String, String>>of(
                Map.of("PATH", dir.toString()), Map.of("PATH", dir.toString(), "CI", "false"), Map.of())) {
            TestAbortedException e = assertThrows(
                    TestAbortedException.class, () -> Peers.require("no-such-peer", env(vars), List.of(dir)));
            assertTrue(e.getMessage().contains("no-such-peer is missing"), e.getMessage());
        }
    }

    @Test
    void aMissingProgramFailsTheTestUnderCi() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> Peers.require("no-such-peer", env(Map.of("PATH", dir.toString(), "CI", "true")), List.of(dir)));
        assertTrue(e.getMessage().startsWith("no-such-peer is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("CI must install it"), e.getMessage());
    }

    @Test
    void assumeSkipsOrFailsOnlyWhenThePeerIsMissing() {
        assertDoesNotThrow(() -> Peers.assume(true, "native epoll", env(Map.of("CI", "true"))));
        assertDoesNotThrow(() -> Peers.assume(true, "native epoll", env(Map.of())));
        TestAbortedException skipped =
                assertThrows(TestAbortedException.class, () -> Peers.assume(false, "native epoll", env(Map.of())));
        assertTrue(skipped.getMessage().startsWith("native epoll is missing"), skipped.getMessage());
        AssertionError failed = assertThrows(
                AssertionError.class, () -> Peers.assume(false, "native epoll", env(Map.of("CI", "true"))));
        assertTrue(failed.getMessage().startsWith("native epoll is missing"), failed.getMessage());
        assertTrue(failed.getMessage().contains("CI must install it"), failed.getMessage());
    }

    @Test
    void rejectsANameWithADirectory() {
        assertThrows(IllegalArgumentException.class, () -> Peers.find("bin/sh", "/", List.of()));
        assertThrows(IllegalArgumentException.class, () -> Peers.find("", "/", List.of()));
    }

    @Test
    void thePublicMethodsReadTheRealEnvironment() {
        Path sh = Peers.require("sh");
        assertTrue(Files.isExecutable(sh), sh.toString());
        assertDoesNotThrow(() -> Peers.assume(true, "anything"));
    }
}
