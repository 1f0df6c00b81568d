package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.proxy.l4.PipeTransport;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The downstream leg over a virtual L4 transport: a client on an in-process pipe → the proxy, which accepts from a
 * pipe address on its server and runs the requests on a server loop → TCP and pipe origins.
 */
@ExtendWith(LeakDetection.class)
class VirtualListenerTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private PipeTransport pipe;
    private VirtualPeerTest.PipeOrigin pipeOrigin;

    @BeforeEach
    void start() throws Exception {
        pipe = PipeTransport.create();
        pipeOrigin = new VirtualPeerTest.PipeOrigin(
                pipe, PipeTransport.address("virtual-listener-origin-" + NAMES.incrementAndGet()));
    }

    @AfterEach
    void stop() throws Exception {
        pipeOrigin.close();
        pipe.close();
    }

    @Test
    void aPipeClientIsServedOnAServerLoopWithTcpAndPipeOrigins() throws Exception {
        SocketAddress front = PipeTransport.address("virtual-listener-proxy-" + NAMES.incrementAndGet());
        try (Origin tcp = Origin.answering("tcp origin")) {
            HttpPeer tcpPeer = HttpPeer.of(tcp.address());
            HttpPeer pipePeer =
                    HttpPeer.builder(pipeOrigin.address).transport(pipe).build();
            VirtualPeerTest.Recording app = new VirtualPeerTest.Recording(null) {
                @Override
                public HttpPeer upstreamPeer(Session session, String ctx) {
                    super.upstreamPeer(session, ctx);
                    return session.request().target().startsWith("/tcp") ? tcpPeer : pipePeer;
                }
            };
            try (ProxyFixture f = new ProxyFixture(app, b -> b.listen(pipe, front));
                    PipeClient client = new PipeClient(pipe, front)) {
                client.send("GET /tcp HTTP/1.1\r\nHost: a\r\n\r\n");
                client.awaitText("tcp origin");
                client.send("POST /pipe HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
                client.awaitText("conn=1 POST /pipe body=5:");
                assertEquals(Optional.empty(), app.outcomes.poll(10, TimeUnit.SECONDS));
                assertEquals(Optional.empty(), app.outcomes.poll(10, TimeUnit.SECONDS));
                assertEquals(1, client.connections(), "one keep-alive client connection");
                assertEquals(1, app.threads.size(), app.threads.toString());
                assertTrue(
                        app.threads.iterator().next().getName().startsWith("net.proxy-loop"),
                        "served on a server loop, not the pipe's: " + app.threads);
                assertEquals(1, f.proxy.openConnections());
            }
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> pipe.connect(front, null).toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertInstanceOf(ConnectException.class, e.getCause(), "the server closed its virtual listener");
        }
    }

    /** A raw HTTP/1.1 client on one pipe stream; collects everything it receives as text. */
    static final class PipeClient implements AutoCloseable {
        private final Channel channel;
        private final StringBuffer received = new StringBuffer();
        private final AtomicInteger actives = new AtomicInteger(1);

        PipeClient(PipeTransport pipe, SocketAddress address) throws Exception {
            channel = pipe.connect(address, null).toCompletableFuture().get(10, TimeUnit.SECONDS);
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    try {
                        received.append(b.toString(StandardCharsets.ISO_8859_1));
                    } finally {
                        b.release();
                    }
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    actives.decrementAndGet();
                }
            });
            channel.config().setAutoRead(true);
        }

        void send(String request) {
            ByteBuf out = channel.alloc().directBuffer();
            out.writeCharSequence(request, StandardCharsets.ISO_8859_1);
            channel.writeAndFlush(out);
        }

        void awaitText(String text) {
            ProxyFixture.eventually(() -> received.indexOf(text) >= 0, "client received " + text);
        }

        int connections() {
            return actives.get();
        }

        @Override
        public void close() {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
