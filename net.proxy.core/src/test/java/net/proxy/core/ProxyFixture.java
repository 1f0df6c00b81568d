package net.proxy.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Starts an {@link HttpProxy} on a {@link Server} on a free loopback port; runs curl and raw socket clients. */
final class ProxyFixture implements AutoCloseable {
    final Server server;
    final HttpProxy<?> proxy;
    final InetSocketAddress address;

    <C> ProxyFixture(ProxyHttp<C> app, UnaryOperator<HttpProxyBuilder<C>> config) {
        HttpProxyBuilder<C> b = HttpProxy.builder(app)
                .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .gracePeriod(Duration.ofSeconds(5));
        this.proxy = config.apply(b).build();
        this.server = Server.builder().threads(1).build().add(proxy).start();
        this.address = (InetSocketAddress) server.boundAddresses().get(0);
    }

    <C> ProxyFixture(ProxyHttp<C> app) {
        this(app, b -> b);
    }

    String url(String path) {
        return "http://127.0.0.1:" + address.getPort() + path;
    }

    /** Result of a curl run. */
    record Curl(int exit, String out, String err) {}

    static Curl curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Curl(
                p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** Sends raw bytes and reads until the proxy closes (or {@code timeoutMs} passes without data). */
    String raw(String request, int timeoutMs) throws IOException {
        try (Socket s = new Socket(address.getAddress(), address.getPort())) {
            s.setSoTimeout(timeoutMs);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) != -1) {
                    sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (java.net.SocketTimeoutException e) {
                sb.append("<timeout>");
            }
            return sb.toString();
        }
    }

    /** A proxy that sends every request to {@code peer}. */
    static ProxyHttp<Void> to(HttpPeer peer) {
        return new ToPeer(peer);
    }

    /** A proxy that sends every request to one peer; tests extend it to override a phase. */
    static class ToPeer implements ProxyHttp<Void> {
        private final HttpPeer peer;

        ToPeer(HttpPeer peer) {
            this.peer = peer;
        }

        @Override
        public Void newContext() {
            return null;
        }

        @Override
        public HttpPeer upstreamPeer(Session session, Void ctx) {
            return peer;
        }
    }

    /** A service that answers every request itself with 200 and {@code body(session)}. */
    static ProxyHttp<Void> answering(java.util.function.Function<Session, String> body) {
        return new ProxyHttp<>() {
            @Override
            public Void newContext() {
                return null;
            }

            @Override
            public boolean requestFilter(Session session, Void ctx) {
                session.writeResponse(
                        net.proxy.http.ResponseHeader.of(200),
                        io.netty.buffer.Unpooled.copiedBuffer(body.apply(session), StandardCharsets.UTF_8));
                return true;
            }

            @Override
            public HttpPeer upstreamPeer(Session session, Void ctx) {
                throw new IllegalStateException("answers every request itself");
            }
        };
    }

    /** Polls {@code condition} until it holds or 10 s pass (then fails with {@code what}). */
    static void eventually(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 10 s: " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
