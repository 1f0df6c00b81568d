package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;
import net.proxy.l4.StreamDigest;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every phase runs in order and can change what its javadoc says it may change. */
@ExtendWith(LeakDetection.class)
class PhasesTest {

    /** Records each phase in the context and changes something in most of them. */
    static class Recorder implements ProxyHttp<List<String>> {
        final HttpPeer peer;
        final List<List<String>> logs = new CopyOnWriteArrayList<>();
        final List<ProxyError> errors = new CopyOnWriteArrayList<>();
        final List<String> counts = new CopyOnWriteArrayList<>();

        Recorder(Origin origin) {
            this.peer = HttpPeer.of(origin.address());
        }

        private static void add(List<String> ctx, String phase) {
            if (ctx.isEmpty() || !ctx.get(ctx.size() - 1).equals(phase)) {
                ctx.add(phase);
            }
        }

        @Override
        public List<String> newContext() {
            return new ArrayList<>();
        }

        @Override
        public void earlyRequestFilter(Session session, List<String> ctx) {
            add(ctx, "early");
        }

        @Override
        public boolean requestFilter(Session session, List<String> ctx) {
            add(ctx, "request");
            session.request().headers().add("X-From-Filter", "1");
            if (session.request().path().equals("/deny")) {
                ResponseHeader h = ResponseHeader.of(429);
                h.headers().add("Retry-After", "7");
                session.writeResponse(h, Unpooled.copiedBuffer("slow down", StandardCharsets.US_ASCII));
                return true;
            }
            return false;
        }

        @Override
        public boolean proxyUpstreamFilter(Session session, List<String> ctx) {
            add(ctx, "proxyUpstream");
            return !session.request().path().equals("/local");
        }

        @Override
        public HttpPeer upstreamPeer(Session session, List<String> ctx) {
            add(ctx, "peer");
            return peer;
        }

        @Override
        public void connectedToUpstream(
                Session session, boolean reused, HttpPeer p, StreamDigest digest, List<String> ctx) {
            add(ctx, "connected");
        }

        @Override
        public void upstreamRequestFilter(Session session, RequestHeader upstream, List<String> ctx) {
            add(ctx, "upstreamRequest");
            upstream.headers().set("Host", "rewritten.test");
            upstream.target("/rewritten" + upstream.target());
        }

        @Override
        public ByteBuf requestBodyFilter(Session session, ByteBuf chunk, boolean end, List<String> ctx) {
            add(ctx, "requestBody");
            return upper(chunk);
        }

        @Override
        public void upstreamResponseFilter(Session session, ResponseHeader response, List<String> ctx) {
            add(ctx, "upstreamResponse");
            response.headers().add("X-Upstream-Filter", "1");
            response.headers().remove("Content-Length");
        }

        @Override
        public void responseFilter(Session session, ResponseHeader response, List<String> ctx) {
            add(ctx, "response");
            response.headers().set("Server", "net.proxy-test");
        }

        @Override
        public ByteBuf upstreamResponseBodyFilter(Session session, ByteBuf chunk, boolean end, List<String> ctx) {
            add(ctx, "upstreamResponseBody");
            if (!chunk.isReadable()) {
                return chunk;
            }
            String s = "<" + chunk.toString(StandardCharsets.UTF_8) + ">";
            chunk.release();
            return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
        }

        @Override
        public ByteBuf responseBodyFilter(Session session, ByteBuf chunk, boolean end, List<String> ctx) {
            add(ctx, "responseBody");
            return upper(chunk);
        }

        @Override
        public void logging(Session session, ProxyError error, List<String> ctx) {
            add(ctx, "logging");
            counts.add("req=" + session.requestBodyBytes() + " up=" + session.upstreamBodyBytes() + " resp="
                    + session.responseBodyBytes() + " attempts=" + session.attempts() + " connect="
                    + (session.upstreamConnectNanos() > 0));
            logs.add(ctx);
            if (error != null) {
                errors.add(error);
            }
        }

        private static ByteBuf upper(ByteBuf chunk) {
            if (!chunk.isReadable()) {
                return chunk;
            }
            String s = chunk.toString(StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT);
            chunk.release();
            return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
        }
    }

    @Test
    void phasesRunInOrderAndChangeRequestAndResponse() throws Exception {
        try (Origin origin = new Origin(r -> Origin.ok("body:" + new String(r.body(), StandardCharsets.UTF_8)));
                ProxyFixture f = new ProxyFixture(new Recorder(origin))) {
            Recorder app = (Recorder) f.proxy.app();
            ProxyFixture.Curl c = ProxyFixture.curl("-i", "--data-binary", "abc", f.url("/p?q=1"));
            assertEquals(0, c.exit(), c.err());
            assertTrue(c.out().contains("X-Upstream-Filter: 1"), c.out());
            assertTrue(c.out().contains("Server: net.proxy-test"), c.out());
            assertTrue(
                    c.out().contains("Transfer-Encoding: chunked"), "re-framed after Content-Length went: " + c.out());
            assertTrue(c.out().endsWith("<BODY:ABC>"), c.out());
            Origin.Request seen = origin.requests.get(0);
            assertEquals("/rewritten/p?q=1", seen.target());
            assertEquals("rewritten.test", seen.header("Host"));
            assertEquals("1", seen.header("X-From-Filter"));
            assertEquals("ABC", new String(seen.body(), StandardCharsets.UTF_8));
            ProxyFixture.eventually(() -> !app.logs.isEmpty(), "logging ran");
            assertEquals(
                    List.of(
                            "early",
                            "request",
                            "proxyUpstream",
                            "peer",
                            "connected",
                            "upstreamRequest",
                            "requestBody",
                            "upstreamResponse",
                            "response",
                            "upstreamResponseBody",
                            "responseBody",
                            "logging"),
                    app.logs.get(0));
            assertEquals("req=3 up=8 resp=10 attempts=1 connect=true", app.counts.get(0));
        }
    }

    @Test
    void aBodyFilterThatThrowsBeforeAnyResponseByteLeftGetsA500() throws Exception {
        try (Origin origin = Origin.answering("fine")) {
            HttpPeer peer = HttpPeer.of(origin.address());
            ProxyHttp<Void> app = new ProxyFixture.ToPeer(peer) {
                @Override
                public ByteBuf responseBodyFilter(Session session, ByteBuf chunk, boolean end, Void ctx) {
                    chunk.release();
                    throw new IllegalStateException("filter bug");
                }
            };
            try (ProxyFixture f = new ProxyFixture(app)) {
                ProxyFixture.Curl c = ProxyFixture.curl("-i", f.url("/x"));
                assertTrue(c.out().startsWith("HTTP/1.1 500"), "the held-back 200 head never left: " + c.out());
                assertTrue(c.out().contains("Connection: close"), c.out());
            }
        }
    }

    @Test
    void requestFilterAnswersDirectlyAndKeepsTheConnection() throws Exception {
        try (Origin origin = Origin.answering("never");
                ProxyFixture f = new ProxyFixture(new Recorder(origin))) {
            Recorder app = (Recorder) f.proxy.app();
            ProxyFixture.Curl c = ProxyFixture.curl("-i", "-w", "|%{num_connects}", f.url("/deny"), f.url("/deny"));
            assertEquals(0, c.exit(), c.err());
            assertTrue(c.out().contains("HTTP/1.1 429"), c.out());
            assertTrue(c.out().contains("Retry-After: 7"), c.out());
            assertTrue(c.out().contains("slow down|1") && c.out().endsWith("slow down|0"), c.out());
            assertEquals(0, origin.requests.size());
            ProxyFixture.eventually(() -> !app.logs.isEmpty(), "logging ran");
            assertEquals(List.of("early", "request", "logging"), app.logs.get(0));
        }
    }

    @Test
    void proxyUpstreamFilterFalseAnswers502WithoutUpstream() throws Exception {
        try (Origin origin = Origin.answering("never");
                ProxyFixture f = new ProxyFixture(new Recorder(origin))) {
            ProxyFixture.Curl c = ProxyFixture.curl("-w", "%{http_code}", "-o", "/dev/null", f.url("/local"));
            assertEquals("502", c.out());
            assertEquals(0, origin.requests.size());
        }
    }

    @Test
    void asyncRequestFilterAndPeerContinueOnTheLoop() throws Exception {
        ScheduledExecutorService other = Executors.newSingleThreadScheduledExecutor();
        try (Origin origin = Origin.answering("async")) {
            HttpPeer peer = HttpPeer.of(origin.address());
            List<Boolean> onLoop = new CopyOnWriteArrayList<>();
            ProxyHttp<Void> app = new ProxyHttp<>() {
                @Override
                public Void newContext() {
                    return null;
                }

                @Override
                public CompletionStage<Boolean> requestFilterAsync(Session session, Void ctx) {
                    CompletableFuture<Boolean> f = new CompletableFuture<>();
                    other.schedule(() -> f.complete(false), 20, TimeUnit.MILLISECONDS);
                    return f;
                }

                @Override
                public HttpPeer upstreamPeer(Session session, Void ctx) {
                    throw new IllegalStateException("the async variant is used");
                }

                @Override
                public CompletionStage<HttpPeer> upstreamPeerAsync(Session session, Void ctx) {
                    onLoop.add(((io.netty.channel.EventLoop) session.executor()).inEventLoop());
                    return CompletableFuture.supplyAsync(() -> peer, other);
                }

                @Override
                public void upstreamRequestFilter(Session session, RequestHeader upstream, Void ctx) {
                    onLoop.add(((io.netty.channel.EventLoop) session.executor()).inEventLoop());
                }
            };
            try (ProxyFixture f = new ProxyFixture(app)) {
                ProxyFixture.Curl c = ProxyFixture.curl(f.url("/"));
                assertEquals("async", c.out(), c.err());
                assertEquals(List.of(true, true), onLoop);
            }
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void failingFilterGives500AndFailToProxyCanWriteAnErrorPage() throws Exception {
        try (Origin origin = Origin.answering("x")) {
            Recorder app = new Recorder(origin) {
                @Override
                public void upstreamRequestFilter(Session session, RequestHeader upstream, List<String> ctx) {
                    throw new IllegalStateException("filter bug");
                }

                @Override
                public FailToProxy failToProxy(Session session, ProxyError error, List<String> ctx) {
                    ctx.add("failToProxy");
                    ResponseHeader h = ResponseHeader.of(error.defaultStatus());
                    session.writeResponse(h, Unpooled.copiedBuffer("sorry: " + error.kind(), StandardCharsets.UTF_8));
                    return new FailToProxy(h.status(), false);
                }
            };
            try (ProxyFixture f = new ProxyFixture(app)) {
                ProxyFixture.Curl c = ProxyFixture.curl("-w", "|%{http_code}", f.url("/"));
                assertEquals("sorry: INTERNAL_ERROR|500", c.out());
                ProxyFixture.eventually(() -> !app.logs.isEmpty(), "logging ran");
                assertEquals(
                        List.of("early", "request", "proxyUpstream", "peer", "connected", "failToProxy", "logging"),
                        app.logs.get(0));
                assertEquals(ErrorKind.INTERNAL_ERROR, app.errors.get(0).kind());
            }
        }
    }

    @Test
    void backgroundSubrequestRunsTheWholePipeline() throws Exception {
        try (Origin origin = new Origin(r -> Origin.ok("for " + r.target()))) {
            CompletableFuture<Integer> sub = new CompletableFuture<>();
            Recorder app = new Recorder(origin) {
                @Override
                public boolean requestFilter(Session session, List<String> ctx) {
                    if (!session.isSubrequest()) {
                        RequestHeader warm = RequestHeader.of("GET", "/warm");
                        warm.headers().add("Host", "x");
                        session.spawnBackgroundSubrequest(warm).whenComplete((s, t) -> sub.complete(s));
                    }
                    return false;
                }
            };
            try (ProxyFixture f = new ProxyFixture(app)) {
                ProxyFixture.Curl c = ProxyFixture.curl(f.url("/main"));
                assertEquals("<FOR /REWRITTEN/MAIN>", c.out(), c.err());
                assertEquals(200, sub.get(10, TimeUnit.SECONDS));
                assertTrue(origin.requests.stream().anyMatch(r -> r.target().equals("/rewritten/warm")));
            }
        }
    }
}
