package net.proxy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import net.proxy.http.HttpHeaders;
import net.proxy.http.RequestHeader;
import net.proxy.l4.StreamDigest;
import org.junit.jupiter.api.Test;

/**
 * The pool with both kinds of connection: one that carries a request at a time and leaves the pool while in use
 * (HTTP/1), and a multiplexed one that stays pooled and hands out a session per request while it has room (the
 * shape HTTP/2 takes), here as test doubles.
 */
class UpstreamPoolTest {
    private final HttpProxy<Void> proxy =
            HttpProxy.builder(ProxyFixture.to(HttpPeer.of(address()))).build();
    private final UpstreamPool pool = new UpstreamPool(new EmbeddedChannel().eventLoop(), proxy, null, 2);
    private final HttpPeer peer = HttpPeer.of(address());

    private static InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", 9);
    }

    /** A connection with {@code streams} slots; each session of it is one stream. */
    static final class Connection implements PooledConnection {
        final boolean multiplexed;
        int free;
        boolean active = true;
        long idleNanos = -1;

        Connection(boolean multiplexed, int streams) {
            this.multiplexed = multiplexed;
            this.free = streams;
        }

        @Override
        public boolean multiplexed() {
            return multiplexed;
        }

        @Override
        public UpstreamSession newSession() {
            if (!active || free == 0) {
                return null;
            }
            free--;
            return new Stream(this);
        }

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public void enterPool(long idleNanos) {
            this.idleNanos = idleNanos;
        }

        @Override
        public void close() {
            active = false;
        }
    }

    /** An upstream session that writes nothing: the pool only hands sessions out and takes them back. */
    abstract static class QuietSession implements UpstreamSession {
        @Override
        public void attach(Exchange<?> exchange, RequestHeader request, HttpPeer peer) {}

        @Override
        public StreamDigest digest() {
            return null;
        }

        @Override
        public void sendHead(RequestHeader head, boolean endOfStream) {}

        @Override
        public void sendBody(ByteBuf data) {
            data.release();
        }

        @Override
        public void sendEnd(HttpHeaders trailers) {}

        @Override
        public void flush() {}

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void pauseReading(boolean pause) {}
    }

    /** One stream of a {@link Connection}. */
    static final class Stream extends QuietSession {
        private final Connection connection;

        Stream(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Connection connection() {
            return connection;
        }

        @Override
        public boolean isReusable() {
            return connection.active;
        }

        @Override
        public void close() {
            connection.free++;
        }
    }

    @Test
    void aMultiplexedConnectionStaysPooledAndIsSharedUntilItIsFull() {
        Connection shared = new Connection(true, 2);
        pool.share(shared, peer);
        assertEquals(peer.idleTimeout().toNanos(), shared.idleNanos);
        UpstreamSession a = pool.acquire(peer.poolKey());
        UpstreamSession b = pool.acquire(peer.poolKey());
        assertSame(shared, ((Stream) a).connection());
        assertSame(shared, ((Stream) b).connection());
        assertNull(pool.acquire(peer.poolKey()), "no free stream: a new connection is needed");
        assertEquals(1, pool.idleCount(), "the full connection is still pooled");
        pool.release(a, peer);
        assertEquals(1, pool.idleCount(), "releasing a stream leaves the connection where it is");
        a.close();
        assertSame(shared, ((Stream) pool.acquire(peer.poolKey())).connection(), "a stream slot came free");
        shared.close();
        assertNull(pool.acquire(peer.poolKey()));
        assertEquals(0, pool.idleCount(), "a closed shared connection is dropped");
    }

    @Test
    void anHttp1ConnectionLeavesThePoolWhileInUseAndComesBackWhenReleased() {
        Connection h1 = new Connection(false, Integer.MAX_VALUE);
        UpstreamSession session = h1.newSession();
        assertTrue(session instanceof Stream);
        pool.release(new Http1Double(h1), peer);
        assertEquals(1, pool.idleCount());
        assertTrue(pool.acquire(peer.poolKey()) instanceof Stream);
        assertEquals(0, pool.idleCount(), "taken out while in use");
        assertNull(pool.acquire(peer.poolKey()));
    }

    @Test
    void thePoolKeepsAtMostMaxIdlePerKeyAndClosesTheRest() {
        Connection[] conns = {new Connection(false, 9), new Connection(false, 9), new Connection(false, 9)};
        for (Connection c : conns) {
            pool.release(new Http1Double(c), peer);
        }
        assertEquals(2, pool.idleCount());
        assertTrue(!conns[2].active, "the third is closed: max 2 per key");
        pool.closeIdle();
        assertEquals(0, pool.idleCount());
        assertTrue(!conns[0].active && !conns[1].active);
    }

    /** An HTTP/1 connection is its own session: the double passes itself to release. */
    static final class Http1Double extends QuietSession implements PooledConnection {
        private final Connection c;

        Http1Double(Connection c) {
            this.c = c;
        }

        @Override
        public PooledConnection connection() {
            return this;
        }

        @Override
        public boolean multiplexed() {
            return false;
        }

        @Override
        public UpstreamSession newSession() {
            return c.newSession();
        }

        @Override
        public boolean isActive() {
            return c.isActive();
        }

        @Override
        public void enterPool(long idleNanos) {
            c.enterPool(idleNanos);
        }

        @Override
        public void close() {
            c.close();
        }

        @Override
        public boolean isReusable() {
            return c.isActive();
        }
    }
}
