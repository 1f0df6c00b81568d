package net.proxy.bench.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import net.proxy.tls.CertificateKey;
import net.proxy.tls.TlsAcceptor;
import net.proxy.tls.TlsClientSettings;
import net.proxy.tls.TlsConnector;
import net.proxy.tls.TlsDigest;
import net.proxy.tls.TlsEngine;
import net.proxy.tls.TlsServerSettings;

/**
 * Full TLS 1.3 handshakes per second of server CPU, in memory: our {@link TlsAcceptor} on one
 * {@link EmbeddedChannel}, a Conscrypt client on another, bytes shuttled between them on one
 * thread. Only the time spent inside the server channel is counted, so the figure is what one core
 * of a server can do, independent of the client.
 */
/*
 * Every handshake sends a new SNI name (h<i>.bench) so that the client never offers a session to
 * resume; the digest's resumed flag is checked to be false. The certificate is EC P-256 (ECDSA),
 * key exchange X25519 (both engines' default), TLS_AES_128_GCM_SHA256.
 */
final class InMemoryHandshakes {
    private final TlsAcceptor acceptor;
    private final TlsConnector client;

    InMemoryHandshakes(TlsEngine serverEngine, CertificateKey certificate) {
        this.acceptor = TlsAcceptor.of(TlsServerSettings.builder()
                .engine(serverEngine)
                .certificate(certificate)
                .build());
        this.client = TlsConnector.of(TlsClientSettings.builder()
                .engine(TlsEngine.preferred())
                .verifyCertificate(false)
                .sessionCacheSize(1)
                .build());
    }

    /** Runs handshakes for about this long and returns server handshakes per CPU-second. */
    double run(Duration duration) {
        long serverNanos = 0;
        long count = 0;
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            serverNanos += once(count);
            count++;
        }
        return count / (serverNanos / 1e9);
    }

    private long once(long i) {
        EmbeddedChannel server = new EmbeddedChannel();
        EmbeddedChannel clientCh = new EmbeddedChannel();
        try {
            long t0 = System.nanoTime();
            CompletableFuture<TlsDigest> s = acceptor.handshake(server).toCompletableFuture();
            long nanos = System.nanoTime() - t0;
            CompletableFuture<TlsDigest> c =
                    client.handshake(clientCh, "h" + i + ".bench").toCompletableFuture();
            while (!(s.isDone() && c.isDone())) {
                boolean moved = false;
                ByteBuf b;
                while ((b = clientCh.readOutbound()) != null) {
                    long t = System.nanoTime();
                    server.writeInbound(b);
                    server.runPendingTasks();
                    nanos += System.nanoTime() - t;
                    moved = true;
                }
                while ((b = server.readOutbound()) != null) {
                    clientCh.writeInbound(b);
                    clientCh.runPendingTasks();
                    moved = true;
                }
                if (!moved) {
                    throw new IllegalStateException("handshake stalled: server " + s + ", client " + c);
                }
            }
            if (s.join().resumed()) {
                throw new IllegalStateException("a session was resumed; the benchmark wants full handshakes");
            }
            return nanos;
        } finally {
            server.finishAndReleaseAll();
            clientCh.finishAndReleaseAll();
        }
    }
}
