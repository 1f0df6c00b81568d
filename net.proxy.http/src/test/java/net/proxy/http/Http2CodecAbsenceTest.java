package net.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netty's HTTP/2 codec is an optional dependency: an HTTP/1-only user's module graph holds {@code net.proxy.http},
 * {@code io.netty.buffer} and {@code io.netty.common} and nothing else from Netty.
 */
class Http2CodecAbsenceTest {
    /** The modules an HTTP/1-only user needs (besides the JDK's). */
    private static final Set<String> HTTP1_MODULES = Set.of("net.proxy.http", "io.netty.buffer", "io.netty.common");

    /** Prints what it does, one line each, prefixed so that JVM warnings cannot be mistaken for results. */
    private static final String CHECK = """
            import io.netty.buffer.ByteBuf;
            import io.netty.buffer.Unpooled;
            import java.nio.charset.StandardCharsets;
            import java.util.stream.Collectors;
            import net.proxy.http.*;
            import net.proxy.http.netty.ByteBufHttp1;

            public class Check {
                public static void main(String[] args) throws Exception {
                    say("netty modules " + ModuleLayer.boot().modules().stream().map(Module::getName)
                            .filter(n -> n.startsWith("io.netty")).sorted().collect(Collectors.joining(",")));
                    byte[] wire = "GET /a HTTP/1.1\\r\\nHost: example.com\\r\\nX-Trace: 1\\r\\n\\r\\n"
                            .getBytes(StandardCharsets.US_ASCII);
                    RequestHeader req = Http1RequestParser.create().parse(wire, 0, wire.length);
                    req.headers().add("Via", "1.1 check");
                    say("request " + req.method() + " " + req.path() + " " + req.headers().get("host") + " "
                            + Http1Serializer.toBytes(req).length);
                    ByteBuf in = Unpooled.copiedBuffer(
                            "HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nhi", StandardCharsets.US_ASCII);
                    try {
                        Http1ResponseParser parser = Http1ResponseParser.create();
                        ResponseHeader res = ByteBufHttp1.parse(parser, in);
                        ByteBuf body = ByteBufHttp1.decodeBody(BodyDecoder.of(res.framing(), parser.limits()), in);
                        try {
                            say("response " + res.status() + " " + body.toString(StandardCharsets.US_ASCII));
                        } finally {
                            body.release();
                        }
                    } finally {
                        in.release();
                    }
                    try {
                        Class.forName("net.proxy.http.h2.Http2Conversions").getMethods();
                        say("h2 linked");
                    } catch (NoClassDefFoundError e) {
                        say("h2 needs " + e.getMessage());
                    }
                }

                static void say(String line) {
                    System.out.println("check: " + line);
                }
            }
            """;

    @Test
    void theModuleRequiresTheHttp2CodecOnlyStatically() {
        ModuleDescriptor d = RequestHeader.class.getModule().getDescriptor();
        assertNotNull(d, "tests must run on the module path");
        Set<String> needed = d.requires().stream()
                .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("io.netty.buffer", "io.netty.common", "java.base")), needed);
        assertTrue(
                d.requires().stream()
                        .anyMatch(r -> r.name().equals("io.netty.codec.http2")
                                && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)),
                d.requires().toString());
    }

    @Test
    void theHttp1ParserWorksWithoutTheHttp2CodecInTheModuleGraph(@TempDir Path dir) throws Exception {
        String modulePath = System.getProperty("jdk.module.path");
        assertNotNull(modulePath, "tests must run on the module path");
        List<String> entries = Arrays.stream(modulePath.split(File.pathSeparator))
                .filter(e -> HTTP1_MODULES.contains(moduleName(e)))
                .collect(Collectors.toList());
        assertEquals(HTTP1_MODULES.size(), entries.size(), "one entry per module expected, from " + modulePath);
        Path check = dir.resolve("Check.java");
        Files.writeString(check, CHECK);
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--module-path",
                        String.join(File.pathSeparator, entries),
                        "--add-modules",
                        "net.proxy.http",
                        "-Dio.netty.leakDetection.level=paranoid",
                        check.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        assertEquals(0, p.waitFor(), out);
        List<String> lines = out.lines()
                .filter(l -> l.startsWith("check: "))
                .map(l -> l.substring("check: ".length()))
                .collect(Collectors.toList());
        assertEquals(
                List.of(
                        "netty modules io.netty.buffer,io.netty.common",
                        "request GET /a example.com 66",
                        "response 200 hi",
                        "h2 needs io/netty/handler/codec/http2/Http2Headers"),
                lines,
                out);
        assertTrue(out.lines().noneMatch(l -> l.contains("LEAK")), out);
    }

    /** The name of the module at this module path entry, or null when it holds none (or several). */
    private static String moduleName(String entry) {
        Set<ModuleReference> found = ModuleFinder.of(Path.of(entry)).findAll();
        return found.size() == 1 ? found.iterator().next().descriptor().name() : null;
    }
}
