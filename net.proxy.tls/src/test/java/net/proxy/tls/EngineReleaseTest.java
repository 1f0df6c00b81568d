package net.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLEngine;
import net.proxy.testkit.LeakDetection;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression: Conscrypt frees its native SSL object (and a pipe per connection) only once both
 * engine directions are closed; closing the channel must close them, or file descriptors run out
 * under connection churn before a garbage collection frees them.
 */
@ExtendWith(LeakDetection.class)
class EngineReleaseTest {
  @ParameterizedTest
  @ValueSource(strings = {"jdk", "conscrypt"})
  void closingTheChannelClosesBothEngineDirections(String engine) {
    TlsAcceptor acceptor =
        TlsAcceptor.of(TlsServerSettings.builder().engine(engine).certificate(TestCerts.serverEc()).build());
    TlsConnector connector =
        TlsConnector.of(TlsClientSettings.builder().engine(engine).trustRoots(TestCerts.ca()).build());
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
    assertEquals("ec.test", s.join().serverName());
    assertEquals(engine, c.join().engine());
    SSLEngine serverEngine = server.pipeline().get(SslHandler.class).engine();
    SSLEngine clientEngine = client.pipeline().get(SslHandler.class).engine();
    server.finishAndReleaseAll();
    client.finishAndReleaseAll();
    for (SSLEngine e : new SSLEngine[] {serverEngine, clientEngine}) {
      assertTrue(e.isInboundDone() && e.isOutboundDone(), e + " still open");
    }
  }
}
