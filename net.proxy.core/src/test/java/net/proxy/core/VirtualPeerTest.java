package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import net.proxy.http.ResponseHeader;
import net.proxy.l4.PipeTransport;
import net.proxy.l4.StreamDigest;
import net.proxy.l4.spi.VirtualTransport;
import net.proxy.testkit.LeakDetection;
import net.proxy.testkit.Peers;
import net.proxy.tls.CertificateKey;
import net.proxy.tls.Pem;
import net.proxy.tls.TlsAcceptor;
import net.proxy.tls.TlsClientSettings;
import net.proxy.tls.TlsServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream leg over a virtual L4 transport: curl → proxy (TCP, on the server's loop) → {@link PipeTransport}
 * (channels on the pipe's own loop) → an in-process HTTP origin listening on a pipe address.
 */
@ExtendWith(LeakDetection.class)
class VirtualPeerTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private PipeTransport pipe;
    private PipeOrigin origin;

    @BeforeEach
    void start() throws IOException {
        pipe = PipeTransport.create();
        origin = new PipeOrigin(pipe, PipeTransport.address("virtual-peer-origin-" + NAMES.incrementAndGet()));
    }

    @AfterEach
    void stop() throws IOException {
        origin.close();
        pipe.close();
    }

    private HttpPeerBuilder peer() {
        return HttpPeer.builder(origin.address).transport(pipe);
    }

    /**
     * HTTP/2 runs Netty's connection state where the exchanges run; a transport whose channels live on its own loop
     * cannot carry it, and the request fails with a connect error that says so (HTTP/1 works over it, bridged).
     */
    @Test
    void anH2PeerOverATransportOfAnotherLoopIsAConnectError() throws Exception {
        TimeoutTest.Logged app =
                new TimeoutTest.Logged(peer().protocol(UpstreamProtocol.H2).build());
        try (ProxyFixture f = new ProxyFixture(app)) {
            ProxyFixture.Curl c = ProxyFixture.curl("-o", "/dev/null", "-w", "%{http_code}", f.url("/h2"));
            assertEquals("502", c.out(), c.err());
            ProxyError e = app.nextError();
            assertEquals(ErrorKind.CONNECT_ERROR, e.kind());
            assertTrue(e.getMessage().contains("HTTP/2 needs the transport's channel on the proxy's event loop"));
        }
    }

    @Test
    void getAndPostGoThroughThePipeAndReuseOneUpstreamConnection() throws Exception {
        Recording app = new Recording(peer().build());
        try (ProxyFixture f = new ProxyFixture(app)) {
            ProxyFixture.Curl gets = ProxyFixture.curl(f.url("/a"), f.url("/b"));
            assertEquals("conn=1 GET /a body=0:0conn=1 GET /b body=0:0", gets.out(), gets.err());
            ProxyFixture.Curl post = ProxyFixture.curl("--data-binary", "hello pipe", f.url("/c"));
            CRC32 crc = new CRC32();
            crc.update("hello pipe".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("conn=1 POST /c body=10:" + crc.getValue(), post.out(), post.err());
            for (int i = 0; i < 3; i++) {
                assertEquals(Optional.empty(), app.outcomes.poll(10, TimeUnit.SECONDS));
            }
            assertEquals(1, origin.connections.get(), "keep-alive: one upstream connection for three requests");
            assertEquals(2.0 / 3, f.proxy.reuseRatio(), 1e-9);
            assertEquals(1, app.threads.size(), "every phase ran on the downstream loop: " + app.threads);
            assertNotEquals(
                    origin.loopThreads.iterator().next(), app.threads.iterator().next());
        }
    }

    @Test
    void largeBodiesStreamBothWaysAcrossTheLoops(@TempDir Path dir) throws Exception {
        byte[] upload = new byte[3 << 20];
        new Random(7).nextBytes(upload);
        Path file = Files.write(dir.resolve("upload.bin"), upload);
        CRC32 crc = new CRC32();
        crc.update(upload);
        Recording app = new Recording(peer().build());
        try (ProxyFixture f = new ProxyFixture(app)) {
            ProxyFixture.Curl post = ProxyFixture.curl("--data-binary", "@" + file, f.url("/up"));
            assertEquals("conn=1 POST /up body=" + upload.length + ":" + crc.getValue(), post.out(), post.err());
            Path got = dir.resolve("download.bin");
            ProxyFixture.Curl get =
                    ProxyFixture.curl("-o", got.toString(), "-w", "%{http_code}", f.url("/big/" + (5 << 20)));
            assertEquals("200", get.out(), get.err());
            assertEquals(5 << 20, Files.size(got));
            assertEquals(Optional.empty(), app.outcomes.poll(10, TimeUnit.SECONDS));
            assertEquals(Optional.empty(), app.outcomes.poll(10, TimeUnit.SECONDS));
            assertEquals(1, app.threads.size(), app.threads.toString());
        }
    }

    @Test
    void verifiedTlsRunsOverThePipeAndIsPooled(@TempDir Path dir) throws Exception {
        Peers.assume(TlsProxyTest.hasOpenssl(), "openssl");
        Path pem = dir.resolve("origin.pem");
        Path key = dir.resolve("origin.key");
        TlsProxyTest.selfSigned("/CN=origin.pipe", "DNS:origin.pipe", key, pem);
        TlsAcceptor tls = TlsAcceptor.of(TlsServerSettings.builder()
                .certificate(CertificateKey.fromPem(pem, key))
                .build());
        SocketAddress address = PipeTransport.address("virtual-peer-tls-" + NAMES.incrementAndGet());
        TlsClientSettings trust =
                TlsClientSettings.builder().trustRoots(Pem.certificates(pem)).build();
        try (PipeOrigin tlsOrigin = new PipeOrigin(pipe, address, tls)) {
            Recording app = new Recording(HttpPeer.builder(address)
                    .transport(pipe)
                    .tls(trust, "origin.pipe")
                    .build());
            try (ProxyFixture f = new ProxyFixture(app)) {
                ProxyFixture.Curl c = ProxyFixture.curl(f.url("/a"), f.url("/b"));
                assertEquals("conn=1 GET /a body=0:0conn=1 GET /b body=0:0", c.out(), c.err());
                assertEquals(Optional.empty(), app.outcomes.poll(10, TimeUnit.SECONDS));
                assertEquals(Optional.empty(), app.outcomes.poll(10, TimeUnit.SECONDS));
                assertEquals(1, tlsOrigin.connections.get());
                assertEquals(List.of("new tls", "reused tls"), app.connects);
            }
            Recording wrongName = new Recording(HttpPeer.builder(address)
                    .transport(pipe)
                    .tls(trust, "other.pipe")
                    .build());
            try (ProxyFixture f = new ProxyFixture(wrongName)) {
                ProxyFixture.Curl c = ProxyFixture.curl("-o", "/dev/null", "-w", "%{http_code}", f.url("/"));
                assertEquals("502", c.out(), c.err());
                assertEquals(
                        ErrorKind.TLS_HANDSHAKE_FAILURE,
                        wrongName
                                .outcomes
                                .poll(10, TimeUnit.SECONDS)
                                .orElseThrow()
                                .kind());
            }
        }
    }

    @Test
    void noListenerOnThePipeAddressAnswers502NamingTheAddress() throws Exception {
        SocketAddress nobody = PipeTransport.address("virtual-peer-nobody-" + NAMES.incrementAndGet());
        Recording app = new Recording(HttpPeer.builder(nobody).transport(pipe).build());
        try (ProxyFixture f = new ProxyFixture(app)) {
            ProxyFixture.Curl c = ProxyFixture.curl("-i", f.url("/"));
            assertTrue(c.out().startsWith("HTTP/1.1 502"), c.out());
            ProxyError e = app.outcomes.poll(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals(ErrorKind.CONNECT_REFUSED, e.kind());
            assertTrue(e.getMessage().contains(nobody.toString()), e.getMessage());
        }
    }

    @Test
    void silentOriginAnswers504AfterTheReadTimeout() throws Exception {
        ManualTicker ticker = new ManualTicker();
        Recording app = new Recording(peer().readTimeout(Duration.ofSeconds(30)).build());
        try (ProxyFixture f = new ProxyFixture(app, b -> b.ticker(ticker))) {
            CompletableFuture<ProxyFixture.Curl> c = CompletableFuture.supplyAsync(() -> curl(f.url("/hang")));
            assertEquals(
                    ErrorKind.READ_TIMEOUT,
                    ticker.advanceUntil(app.outcomes, Duration.ofSeconds(10))
                            .orElseThrow()
                            .kind());
            assertEquals("504", c.get(20, TimeUnit.SECONDS).out());
        }
    }

    @Test
    void customTransportThatNeverConnectsAnswers504AfterTheConnectTimeout() throws Exception {
        CompletableFuture<Channel> never = new CompletableFuture<>();
        VirtualTransport stalled = new VirtualTransport() {
            @Override
            public String name() {
                return "stalled";
            }

            @Override
            public CompletionStage<Channel> connect(SocketAddress address, EventLoop eventLoop) {
                return never;
            }

            @Override
            public Closeable listen(SocketAddress address, EventLoopGroup group, Consumer<Channel> acceptor) {
                throw new IllegalStateException("connect-only test transport");
            }
        };
        ManualTicker ticker = new ManualTicker();
        Recording app = new Recording(HttpPeer.builder(origin.address)
                .transport(stalled)
                .connectTimeout(Duration.ofSeconds(5))
                .build());
        try (ProxyFixture f = new ProxyFixture(app, b -> b.ticker(ticker))) {
            CompletableFuture<ProxyFixture.Curl> c = CompletableFuture.supplyAsync(() -> curl(f.url("/")));
            ProxyError e =
                    ticker.advanceUntil(app.outcomes, Duration.ofSeconds(1)).orElseThrow();
            assertEquals("504", c.get(20, TimeUnit.SECONDS).out());
            assertEquals(ErrorKind.CONNECT_TIMEOUT, e.kind());
            assertTrue(e.getMessage().contains("stalled"), e.getMessage());
        }
        assertEquals(0, origin.connections.get());
    }

    /** Runs curl for the status code only, from a task (the test meanwhile moves the clock). */
    private static ProxyFixture.Curl curl(String url) {
        try {
            return ProxyFixture.curl("-o", "/dev/null", "-w", "%{http_code}", url);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void poolKeySeparatesTransportsAndSocketsAtTheSameAddress() {
        HttpPeer viaPipe = peer().build();
        assertEquals(viaPipe.poolKey(), peer().build().poolKey());
        assertNotEquals(viaPipe.poolKey(), HttpPeer.of(origin.address).poolKey());
        try (PipeTransport other = PipeTransport.create()) {
            assertNotEquals(
                    viaPipe.poolKey(),
                    HttpPeer.builder(origin.address).transport(other).build().poolKey());
        }
        assertEquals(pipe, viaPipe.l4().transport().orElseThrow());
        assertTrue(HttpPeer.of(origin.address).l4().transport().isEmpty());
        assertTrue(viaPipe.toString().contains("via: pipe"), viaPipe.toString());
    }

    /** Sends every request to one peer (a non-null context, so logging runs); records the outcome of each request and the threads the phases ran on. */
    static class Recording implements ProxyHttp<String> {
        final HttpPeer peer;
        final BlockingQueue<Optional<ProxyError>> outcomes = new LinkedBlockingQueue<>();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final List<String> connects = new CopyOnWriteArrayList<>();

        Recording(HttpPeer peer) {
            this.peer = peer;
        }

        @Override
        public String newContext() {
            return "recorded";
        }

        @Override
        public HttpPeer upstreamPeer(Session session, String ctx) {
            threads.add(Thread.currentThread());
            return peer;
        }

        @Override
        public void connectedToUpstream(
                Session session, boolean reused, HttpPeer peer, StreamDigest digest, String ctx) {
            threads.add(Thread.currentThread());
            connects.add((reused ? "reused" : "new") + (digest.tls() == null ? " plain" : " tls"));
        }

        @Override
        public void upstreamResponseFilter(Session session, ResponseHeader response, String ctx) {
            threads.add(Thread.currentThread());
        }

        @Override
        public ByteBuf responseBodyFilter(Session session, ByteBuf chunk, boolean endOfStream, String ctx) {
            threads.add(Thread.currentThread());
            return chunk;
        }

        @Override
        public void logging(Session session, ProxyError error, String ctx) {
            threads.add(Thread.currentThread());
            outcomes.add(Optional.ofNullable(error));
        }
    }

    /**
     * An HTTP/1.1 origin on a pipe address: keep-alive, Content-Length request bodies. {@code /hang} is never
     * answered; {@code /big/N} answers N bytes; anything else answers
     * {@code conn=ID METHOD PATH body=LENGTH:CRC32}.
     */
    static final class PipeOrigin implements Closeable {
        final SocketAddress address;
        final AtomicInteger connections = new AtomicInteger();
        final Set<Thread> loopThreads = ConcurrentHashMap.newKeySet();
        private final Closeable listener;

        PipeOrigin(PipeTransport pipe, SocketAddress address) throws IOException {
            this(pipe, address, null);
        }

        /** An origin that terminates TLS with {@code tls} (null: plain text). */
        PipeOrigin(PipeTransport pipe, SocketAddress address, TlsAcceptor tls) throws IOException {
            this.address = address;
            // PipeTransport accepts on its own loop, so no listener group is given.
            this.listener = pipe.listen(address, null, ch -> {
                ch.pipeline().addLast(new Handler(connections.incrementAndGet()));
                if (tls != null) {
                    tls.handshake(ch);
                }
                ch.config().setAutoRead(true);
            });
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }

        private final class Handler extends ChannelInboundHandlerAdapter {
            private final int id;
            private final StringBuilder in = new StringBuilder();

            Handler(int id) {
                this.id = id;
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                loopThreads.add(Thread.currentThread());
                ByteBuf b = (ByteBuf) msg;
                try {
                    in.append(b.toString(StandardCharsets.ISO_8859_1));
                } finally {
                    b.release();
                }
                serve(ctx);
            }

            private void serve(ChannelHandlerContext ctx) {
                int end;
                while ((end = in.indexOf("\r\n\r\n")) >= 0) {
                    String head = in.substring(0, end);
                    int length = contentLength(head);
                    if (in.length() < end + 4 + length) {
                        return;
                    }
                    byte[] body = in.substring(end + 4, end + 4 + length).getBytes(StandardCharsets.ISO_8859_1);
                    in.delete(0, end + 4 + length);
                    String[] start = head.substring(0, head.indexOf("\r\n")).split(" ");
                    String path = start[1];
                    if (path.equals("/hang")) {
                        continue;
                    }
                    ByteBuf out = ctx.alloc().directBuffer();
                    if (path.startsWith("/big/")) {
                        int n = Integer.parseInt(path.substring(5));
                        out.writeCharSequence(
                                "HTTP/1.1 200 OK\r\nContent-Length: " + n + "\r\n\r\n", StandardCharsets.ISO_8859_1);
                        ctx.write(out);
                        for (int sent = 0; sent < n; sent += 65536) {
                            int len = Math.min(65536, n - sent);
                            ByteBuf chunk = ctx.alloc().directBuffer(len);
                            chunk.writerIndex(len);
                            ctx.write(chunk);
                        }
                    } else {
                        CRC32 crc = new CRC32();
                        crc.update(body);
                        String text = "conn=" + id + " " + start[0] + " " + path + " body=" + body.length + ":"
                                + (body.length == 0 ? 0 : crc.getValue());
                        out.writeCharSequence(
                                "HTTP/1.1 200 OK\r\nContent-Length: " + text.length() + "\r\n\r\n" + text,
                                StandardCharsets.ISO_8859_1);
                        ctx.write(out);
                    }
                    ctx.flush();
                }
            }

            private static int contentLength(String head) {
                for (String line : head.split("\r\n")) {
                    int c = line.indexOf(':');
                    if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase("Content-Length")) {
                        return Integer.parseInt(line.substring(c + 1).trim());
                    }
                }
                return 0;
            }
        }
    }
}
