package net.proxy.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.CompletableFuture;

/**
 * A full TLS handshake between two in-memory channels (no sockets): an acceptor on {@code server} with the
 * EC test certificate, a connector on {@code client} asking for {@code ec.test}, bytes shuttled between
 * them until both sides are done.
 */
record EmbeddedHandshake(
        EmbeddedChannel server, EmbeddedChannel client, TlsDigest serverDigest, TlsDigest clientDigest) {

    static EmbeddedHandshake run(String engine) {
        TlsAcceptor acceptor = TlsAcceptor.of(TlsServerSettings.builder()
                .engine(engine)
                .certificate(TestCerts.serverEc())
                .build());
        TlsConnector connector = TlsConnector.of(TlsClientSettings.builder()
                .engine(engine)
                .trustRoots(TestCerts.ca())
                .build());
        EmbeddedChannel server = new EmbeddedChannel();
        EmbeddedChannel client = new EmbeddedChannel();
        CompletableFuture<TlsDigest> s = acceptor.handshake(server).toCompletableFuture();
        CompletableFuture<TlsDigest> c = connector.handshake(client, "ec.test").toCompletableFuture();
        for (int round = 0; round < 10 && !(s.isDone() && c.isDone()); round++) {
            ByteBuf b;
            while ((b = client.readOutbound()) != null) {
                server.writeInbound(b);
            }
            while ((b = server.readOutbound()) != null) {
                client.writeInbound(b);
            }
        }
        return new EmbeddedHandshake(server, client, s.join(), c.join());
    }
}
