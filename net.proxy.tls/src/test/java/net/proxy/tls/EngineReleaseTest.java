package net.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
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
        EmbeddedHandshake tls = EmbeddedHandshake.run(engine);
        EmbeddedChannel server = tls.server();
        EmbeddedChannel client = tls.client();
        assertEquals("ec.test", tls.serverDigest().serverName());
        assertEquals(engine, tls.clientDigest().engine());
        SSLEngine serverEngine = server.pipeline().get(SslHandler.class).engine();
        SSLEngine clientEngine = client.pipeline().get(SslHandler.class).engine();
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
        for (SSLEngine e : new SSLEngine[] {serverEngine, clientEngine}) {
            assertTrue(e.isInboundDone() && e.isOutboundDone(), e + " still open");
        }
    }
}
