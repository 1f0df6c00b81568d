package net.proxy.core.grpcweb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.proxy.core.HttpPeer;
import net.proxy.core.HttpProxy;
import net.proxy.core.ProxyHttp;
import net.proxy.core.Server;
import net.proxy.core.Session;
import net.proxy.core.UpstreamProtocol;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC-web clients of our own (the JDK's HTTP/1.1 client, curl over h2c) through the bridge to a real grpc-java
 * origin.
 */
@ExtendWith(LeakDetection.class)
class GrpcWebBridgeTest {
    private static final HttpClient HTTP1 = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @TempDir
    Path tmp;

    /** Sends everything to one h2c gRPC peer. */
    record ToPeer(HttpPeer peer) implements ProxyHttp<Void> {
        @Override
        public Void newContext() {
            return null;
        }

        @Override
        public HttpPeer upstreamPeer(Session session, Void ctx) {
            return peer;
        }
    }

    /** A proxy with the bridge in front of {@code origin}. */
    static final class Bridged implements AutoCloseable {
        final Server server;
        final int port;

        Bridged(InetSocketAddress origin, GrpcWebOptions options) {
            HttpPeer peer =
                    HttpPeer.builder(origin).protocol(UpstreamProtocol.H2).build();
            HttpProxy<?> proxy = HttpProxy.builder(GrpcWeb.bridge(new ToPeer(peer), options))
                    .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .build();
            this.server = Server.builder().threads(1).build().add(proxy).start();
            this.port = ((InetSocketAddress) server.boundAddresses().get(0)).getPort();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        @Override
        public void close() {
            server.shutdownNow();
        }
    }

    /** The body of a gRPC-web response, split into frames. */
    record Frames(List<String> messages, Map<String, String> trailers, String trailerBlock) {
        static Frames parse(byte[] body) {
            List<String> messages = new ArrayList<>();
            Map<String, String> trailers = new LinkedHashMap<>();
            String block = null;
            ByteBuffer b = ByteBuffer.wrap(body);
            while (b.hasRemaining()) {
                assertNull(block, "the trailer frame is the last frame");
                int flag = b.get() & 0xff;
                byte[] payload = new byte[b.getInt()];
                b.get(payload);
                if (flag == 0) {
                    messages.add(new String(payload, StandardCharsets.UTF_8));
                } else {
                    assertEquals(0x80, flag);
                    block = new String(payload, StandardCharsets.ISO_8859_1);
                    for (String line : block.split("\r\n")) {
                        int colon = line.indexOf(':');
                        trailers.put(line.substring(0, colon), line.substring(colon + 1));
                    }
                }
            }
            return new Frames(messages, trailers, block);
        }
    }

    static byte[] frame(String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + m.length)
                .put((byte) 0)
                .putInt(m.length)
                .put(m)
                .array();
    }

    /** Decodes base64 made of padded pieces: every 4-character group on its own. */
    static byte[] decodeText(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, text.length % 4, "whole 4-character groups");
        for (int i = 0; i < text.length; i += 4) {
            out.writeBytes(Base64.getDecoder().decode(new String(text, i, 4, StandardCharsets.US_ASCII)));
        }
        return out.toByteArray();
    }

    static HttpResponse<byte[]> post(URI uri, String contentType, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType)
                .header("X-Grpc-Web", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP1.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A response read by curl over h2c (prior knowledge): status, lower-case head fields, body. */
    record CurlResponse(int status, Map<String, String> headers, byte[] body) {}

    CurlResponse curlH2c(URI uri, String contentType, byte[] body) throws Exception {
        Path req = Files.write(tmp.resolve("req"), body);
        Path head = tmp.resolve("head");
        Path out = tmp.resolve("out");
        Process p = new ProcessBuilder(
                        "curl",
                        "-sS",
                        "--max-time",
                        "20",
                        "--http2-prior-knowledge",
                        "-D",
                        head.toString(),
                        "-o",
                        out.toString(),
                        "--data-binary",
                        "@" + req,
                        "-H",
                        "content-type: " + contentType,
                        "-H",
                        "x-grpc-web: 1",
                        uri.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        Map<String, String> headers = new LinkedHashMap<>();
        int status = 0;
        for (String line : Files.readAllLines(head, StandardCharsets.ISO_8859_1)) {
            if (line.startsWith("HTTP/2 ")) {
                status = Integer.parseInt(line.substring(7).trim());
            } else if (line.indexOf(':') > 0) {
                int colon = line.indexOf(':');
                headers.put(
                        line.substring(0, colon).toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        return new CurlResponse(status, headers, Files.readAllBytes(out));
    }

    @Test
    void unaryBinaryOverHttp1GetsAChunkedBodyEndingInTheTrailerFrame() throws Exception {
        try (GrpcOrigin origin = new GrpcOrigin();
                Bridged proxy = new Bridged(origin.address(), GrpcWebOptions.DEFAULT)) {
            HttpResponse<byte[]> r = post(proxy.uri("/test.Echo/Unary"), "application/grpc-web+proto", frame("hello"));
            assertEquals(200, r.statusCode());
            assertEquals(
                    "application/grpc-web+proto",
                    r.headers().firstValue("content-type").orElse(null));
            assertEquals("chunked", r.headers().firstValue("transfer-encoding").orElse(null));
            assertFalse(r.headers().firstValue("content-length").isPresent());
            assertFalse(r.headers().firstValue("grpc-status").isPresent(), "the status is in the body");
            Frames f = Frames.parse(r.body());
            assertEquals(List.of("echo:hello"), f.messages());
            assertEquals("0", f.trailers().get("grpc-status"));
            assertTrue(f.trailerBlock().endsWith("\r\n"), f.trailerBlock());
            assertTrue(f.trailerBlock().equals(f.trailerBlock().toLowerCase(Locale.ROOT)), "lower-case names");
            assertFalse(f.trailerBlock().contains("Access-Control"), "no CORS unless asked");
        }
    }

    @Test
    void unaryTextOverHttp1IsDecodedUpstreamAndEncodedBack() throws Exception {
        try (GrpcOrigin origin = new GrpcOrigin();
                Bridged proxy = new Bridged(origin.address(), GrpcWebOptions.DEFAULT)) {
            byte[] f = frame("text mode");
            // two padded pieces, as a client that flushes twice sends them
            String body = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(f, 4))
                    + Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(f, 4, f.length));
            HttpResponse<byte[]> r = post(
                    proxy.uri("/test.Echo/Unary"),
                    "application/grpc-web-text",
                    body.getBytes(StandardCharsets.US_ASCII),
                    "Accept",
                    "application/grpc-web-text");
            assertEquals(200, r.statusCode());
            assertEquals(
                    "application/grpc-web-text",
                    r.headers().firstValue("content-type").orElse(null));
            Frames frames = Frames.parse(decodeText(r.body()));
            assertEquals(List.of("echo:text mode"), frames.messages());
            assertEquals("0", frames.trailers().get("grpc-status"));
        }
    }

    @Test
    void serverStreamingOverH2cSendsEveryMessageThenTheTrailerFrame() throws Exception {
        try (GrpcOrigin origin = new GrpcOrigin();
                Bridged proxy = new Bridged(origin.address(), GrpcWebOptions.DEFAULT)) {
            CurlResponse r = curlH2c(proxy.uri("/test.Echo/Stream"), "application/grpc-web+proto", frame("3"));
            assertEquals(200, r.status());
            assertEquals("application/grpc-web+proto", r.headers().get("content-type"));
            assertNull(r.headers().get("grpc-status"));
            Frames f = Frames.parse(r.body());
            assertEquals(List.of("msg-1", "msg-2", "msg-3"), f.messages());
            assertEquals("0", f.trailers().get("grpc-status"));
        }
    }

    @Test
    void textStreamingOverH2c() throws Exception {
        try (GrpcOrigin origin = new GrpcOrigin();
                Bridged proxy = new Bridged(origin.address(), GrpcWebOptions.DEFAULT)) {
            CurlResponse r = curlH2c(
                    proxy.uri("/test.Echo/Stream"),
                    "application/grpc-web-text+proto",
                    Base64.getEncoder().encode(frame("2")));
            assertEquals(200, r.status());
            assertEquals("application/grpc-web-text+proto", r.headers().get("content-type"));
            Frames f = Frames.parse(decodeText(r.body()));
            assertEquals(List.of("msg-1", "msg-2"), f.messages());
            assertEquals("0", f.trailers().get("grpc-status"));
        }
    }

    @Test
    void anErrorStatusAfterAMessageEndsTheBodyInTheTrailerFrame() throws Exception {
        try (GrpcOrigin origin = new GrpcOrigin();
                Bridged proxy = new Bridged(origin.address(), GrpcWebOptions.DEFAULT)) {
            HttpResponse<byte[]> r =
                    post(proxy.uri("/test.Echo/FailAfterOne"), "application/grpc-web+proto", frame("x"));
            assertEquals(200, r.statusCode());
            Frames f = Frames.parse(r.body());
            assertEquals(List.of("partial"), f.messages());
            assertEquals("3", f.trailers().get("grpc-status"));
            assertEquals("bad input: %C3%BC 100%25", f.trailers().get("grpc-message"));
            CurlResponse h2 = curlH2c(proxy.uri("/test.Echo/FailAfterOne"), "application/grpc-web", frame("x"));
            assertEquals("application/grpc-web", h2.headers().get("content-type"));
            assertEquals(f.trailers(), Frames.parse(h2.body()).trailers());
        }
    }

    @Test
    void aTrailersOnlyResponseBecomesABodyWithOnlyTheTrailerFrame() throws Exception {
        try (GrpcOrigin origin = new GrpcOrigin();
                Bridged proxy = new Bridged(origin.address(), GrpcWebOptions.DEFAULT)) {
            HttpResponse<byte[]> r = post(proxy.uri("/test.Echo/Fail"), "application/grpc-web+proto", frame("x"));
            assertEquals(200, r.statusCode());
            assertFalse(r.headers().firstValue("grpc-status").isPresent(), "moved into the trailer frame");
            assertFalse(r.headers().firstValue("content-length").isPresent());
            Frames f = Frames.parse(r.body());
            assertEquals(List.of(), f.messages());
            assertEquals(Map.of("grpc-status", "5", "grpc-message", "no such thing"), f.trailers());
            CurlResponse h2 = curlH2c(
                    proxy.uri("/test.Echo/Fail"),
                    "application/grpc-web-text",
                    Base64.getEncoder().encode(frame("x")));
            assertEquals(200, h2.status());
            assertNull(h2.headers().get("grpc-status"));
            assertEquals(f.trailers(), Frames.parse(decodeText(h2.body())).trailers());
        }
    }

    @Test
    void corsPreflightIsAnsweredAndResponsesExposeTheStatusWhenEnabled() throws Exception {
        GrpcWebOptions cors = GrpcWebOptions.builder()
                .cors(true)
                .allowedOrigins("https://app.example")
                .maxAge(Duration.ofMinutes(10))
                .build();
        try (GrpcOrigin origin = new GrpcOrigin();
                Bridged proxy = new Bridged(origin.address(), cors)) {
            HttpResponse<String> pre = HTTP1.send(
                    HttpRequest.newBuilder(proxy.uri("/test.Echo/Unary"))
                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                            .header("Origin", "https://app.example")
                            .header("Access-Control-Request-Method", "POST")
                            .header("Access-Control-Request-Headers", "content-type,x-grpc-web,x-custom-meta")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, pre.statusCode());
            assertEquals(
                    "https://app.example",
                    pre.headers().firstValue("access-control-allow-origin").orElse(null));
            assertEquals(
                    "POST",
                    pre.headers().firstValue("access-control-allow-methods").orElse(null));
            assertEquals(
                    "content-type, x-grpc-web, x-user-agent, grpc-timeout, authorization, x-custom-meta",
                    pre.headers().firstValue("access-control-allow-headers").orElse(null));
            assertEquals(
                    "600", pre.headers().firstValue("access-control-max-age").orElse(null));

            HttpResponse<String> denied = HTTP1.send(
                    HttpRequest.newBuilder(proxy.uri("/test.Echo/Unary"))
                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                            .header("Origin", "https://evil.example")
                            .header("Access-Control-Request-Method", "POST")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, denied.statusCode());
            assertFalse(
                    denied.headers().firstValue("access-control-allow-origin").isPresent());

            HttpResponse<byte[]> r = post(
                    proxy.uri("/test.Echo/Unary"),
                    "application/grpc-web+proto",
                    frame("cors"),
                    "Origin",
                    "https://app.example");
            assertEquals(
                    "https://app.example",
                    r.headers().firstValue("access-control-allow-origin").orElse(null));
            assertEquals(
                    "grpc-status, grpc-message",
                    r.headers().firstValue("access-control-expose-headers").orElse(null));
            assertEquals(List.of("echo:cors"), Frames.parse(r.body()).messages());
        }
    }

    @Test
    void withoutCorsAPreflightGoesToTheApplicationAndResponsesHaveNoCorsHeaders() throws Exception {
        try (GrpcOrigin origin = new GrpcOrigin();
                Bridged proxy = new Bridged(origin.address(), GrpcWebOptions.DEFAULT)) {
            HttpResponse<String> pre = HTTP1.send(
                    HttpRequest.newBuilder(proxy.uri("/test.Echo/Unary"))
                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                            .header("Origin", "https://app.example")
                            .header("Access-Control-Request-Method", "POST")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(pre.statusCode() != 204, "the gRPC origin, not the bridge, answered: " + pre.statusCode());
            assertFalse(pre.headers().firstValue("access-control-allow-origin").isPresent());
            HttpResponse<byte[]> r = post(
                    proxy.uri("/test.Echo/Unary"),
                    "application/grpc-web+proto",
                    frame("x"),
                    "Origin",
                    "https://app.example");
            assertEquals(200, r.statusCode());
            assertFalse(r.headers().firstValue("access-control-allow-origin").isPresent());
        }
    }

    @Test
    void aProxyFailureIsAGrpcStatusInATrailerFrame() throws Exception {
        InetSocketAddress dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
        try (Bridged proxy = new Bridged(dead, GrpcWebOptions.DEFAULT)) {
            HttpResponse<byte[]> r = post(proxy.uri("/test.Echo/Unary"), "application/grpc-web+proto", frame("x"));
            assertEquals(200, r.statusCode());
            assertEquals(
                    "application/grpc-web+proto",
                    r.headers().firstValue("content-type").orElse(null));
            Frames f = Frames.parse(r.body());
            assertEquals("14", f.trailers().get("grpc-status"), f.trailerBlock());
            assertEquals("proxy: connect_refused", f.trailers().get("grpc-message"));
        }
    }

    @Test
    void plainGrpcPassesThroughTheBridgeUnchanged() throws Exception {
        try (GrpcOrigin origin = new GrpcOrigin();
                Bridged proxy = new Bridged(origin.address(), GrpcWebOptions.DEFAULT)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port)
                    .usePlaintext()
                    .build();
            try {
                byte[] answer = ClientCalls.blockingUnaryCall(
                        channel,
                        GrpcOrigin.UNARY,
                        CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
                        "grpc".getBytes(StandardCharsets.UTF_8));
                assertArrayEquals("echo:grpc".getBytes(StandardCharsets.UTF_8), answer);
            } finally {
                channel.shutdownNow();
                channel.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }
}
