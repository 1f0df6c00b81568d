package net.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After the handshake, a transport error (the peer reset the connection) reaches the application's
 * handler as usual, but the close_notify that its close makes the SslHandler write is not sent to the
 * dead peer. TLS errors keep the normal close with an alert.
 */
@ExtendWith(LeakDetection.class)
class TransportErrorsTest {
    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void connectionResetAfterHandshakeClosesWithoutCloseNotify(String engine) {
        IOException reset = new IOException("Connection reset by peer");
        EmbeddedChannel server = established(engine);
        AtomicReference<Throwable> seen = closeOnError(server);
        server.pipeline().fireExceptionCaught(reset);
        assertSame(reset, seen.get());
        assertFalse(server.isOpen());
        assertNull(server.readOutbound(), "a close_notify was written to a reset connection");
        server.finishAndReleaseAll();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "conscrypt"})
    void tlsErrorAfterHandshakeStillSendsCloseNotify(String engine) {
        EmbeddedChannel server = established(engine);
        AtomicReference<Throwable> seen = closeOnError(server);
        server.pipeline().fireExceptionCaught(new SSLException("bad record"));
        assertNotNull(seen.get());
        ByteBuf alert = server.readOutbound();
        assertNotNull(alert, "no close_notify after a TLS error");
        alert.release();
        server.finishAndReleaseAll();
    }

    /** A server channel whose handshake with a client completed, its post-handshake output drained. */
    private static EmbeddedChannel established(String engine) {
        EmbeddedHandshake tls = EmbeddedHandshake.run(engine);
        EmbeddedChannel server = tls.server();
        EmbeddedChannel client = tls.client();
        assertEquals("ec.test", tls.serverDigest().serverName());
        Object b;
        while ((b = server.readOutbound()) != null) {
            ReferenceCountUtil.release(b);
        }
        client.finishAndReleaseAll();
        return server;
    }

    /** The usual application handler: remembers the error and closes the channel. */
    private static AtomicReference<Throwable> closeOnError(EmbeddedChannel server) {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        server.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                seen.set(cause);
                ctx.close();
            }
        });
        return seen;
    }
}
