package net.proxy.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;

/**
 * Guards for tests that need a real peer: an external program (nginx, openssl, curl, wrk…) or a native library
 * (epoll). Where the peer is missing a test is skipped, except under CI: when the environment variable {@code CI}
 * is {@code true} a missing peer fails the test, so a CI run that lacks one cannot pass by skipping what it was
 * meant to check.
 *
 * <pre>{@code
 * Path nginx = Peers.require("nginx");                    // on PATH or in /usr/sbin
 * Peers.assume(Transport.nativeAvailable(), "native epoll");
 * }</pre>
 */
public final class Peers {
    /** Searched after {@code PATH}: Debian installs daemons such as nginx and haproxy there. */
    private static final List<Path> SBIN = List.of(Path.of("/usr/sbin"));

    private Peers() {}

    /**
     * Finds the executable {@code tool} on {@code PATH} or in {@code /usr/sbin}; when it is missing, fails the test
     * under {@code CI=true} and skips it otherwise.
     *
     * @param tool the program's file name, e.g. {@code "nginx"}
     * @return the absolute path of the executable
     * @throws AssertionError if the tool is missing and {@code CI} is {@code true}
     * @throws org.opentest4j.TestAbortedException if the tool is missing otherwise (the test is skipped)
     */
    public static Path require(String tool) {
        return require(tool, System::getenv, SBIN);
    }

    /**
     * Skips the test when {@code present} is {@code false}, or fails it when the environment variable {@code CI} is
     * {@code true}: for a peer that is not a program on the {@code PATH}, such as a native transport.
     *
     * @param present whether the peer is there
     * @param what the peer, named for the message, e.g. {@code "native epoll"}
     * @throws AssertionError if the peer is missing and {@code CI} is {@code true}
     * @throws org.opentest4j.TestAbortedException if the peer is missing otherwise (the test is skipped)
     */
    public static void assume(boolean present, String what) {
        assume(present, what, System::getenv);
    }

    /** {@link #require(String)} with the environment and the directories searched after {@code PATH} given. */
    static Path require(String tool, UnaryOperator<String> env, List<Path> fallback) {
        Path found = find(tool, env.apply("PATH"), fallback);
        assume(found != null, tool, env);
        return found;
    }

    /** {@link #assume(boolean, String)} with the environment given. */
    static void assume(boolean present, String what, UnaryOperator<String> env) {
        if (present) {
            return;
        }
        if ("true".equals(env.apply("CI"))) {
            throw new AssertionError(what + " is missing, and it is required under CI=true: CI must install it"
                    + " (see .ci/run) so that the tests which need it run instead of being skipped");
        }
        Assumptions.abort(what + " is missing: skipping (under CI=true this fails)");
    }

    /** The first executable regular file named {@code tool} in {@code path}'s directories, then in fallback; or null. */
    static Path find(String tool, String path, List<Path> fallback) {
        if (tool.isEmpty() || tool.indexOf('/') >= 0 || tool.indexOf(File.separatorChar) >= 0) {
            throw new IllegalArgumentException("tool: " + tool + " (expected: a file name)");
        }
        List<Path> dirs = new ArrayList<>();
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            try {
                dirs.add(Path.of(dir.isEmpty() ? "." : dir));
            } catch (InvalidPathException e) {
                // an entry that is no path holds no program: the shell skips it as well
            }
        }
        dirs.addAll(fallback);
        for (Path dir : dirs) {
            Path candidate = dir.resolve(tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        return null;
    }
}
