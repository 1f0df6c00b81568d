package net.proxy.l4;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import net.proxy.testkit.Peers;
import net.proxy.tls.CertificateKey;
import net.proxy.tls.Pem;

/** Shared test fixtures: transports, an echo handler, the tls module's committed certificates. */
final class Fixtures {
    /** The certificates made by net.proxy.tls/src/test/resources/net/proxy/tls/certs/generate.sh. */
    static final Path CERTS =
            Path.of("../net.proxy.tls/src/test/resources/net/proxy/tls/certs").toAbsolutePath();

    private Fixtures() {}

    /** Creates a transport; skips the test when epoll is asked for and unavailable (fails it under CI=true). */
    static Transport transport(String kind) {
        if (kind.equals("epoll")) {
            Peers.assume(Transport.nativeAvailable(), "native epoll (" + Transport.nativeUnavailabilityCause() + ")");
            return Transport.create(1, true);
        }
        return Transport.create(1, false);
    }

    static CertificateKey serverCert() {
        return CertificateKey.fromPem(CERTS.resolve("server-ec.pem"), CERTS.resolve("server-ec.key"));
    }

    static List<X509Certificate> ca() {
        return Pem.certificates(CERTS.resolve("ca.pem"));
    }

    /** A JDK client socket factory trusting the test CA. */
    static SSLSocketFactory clientSockets() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca().get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    /** A JDK TLS client to 127.0.0.1 sending this SNI (the JDK sends none for dotless names). */
    static javax.net.ssl.SSLSocket tlsClient(int port, String sni) throws Exception {
        javax.net.ssl.SSLSocket s =
                (javax.net.ssl.SSLSocket) clientSockets().createSocket(java.net.InetAddress.getLoopbackAddress(), port);
        javax.net.ssl.SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new javax.net.ssl.SNIHostName(sni)));
        s.setSSLParameters(p);
        return s;
    }

    static int port(Listener l) {
        return ((InetSocketAddress) l.localAddresses().get(0)).getPort();
    }

    static SocketAddress address(Listener l) {
        return l.localAddresses().get(0);
    }

    /** Asserts the peer closed the connection (FIN or RST) without sending a byte. */
    static void assertClosedWithoutData(java.net.Socket s) throws java.io.IOException {
        s.setSoTimeout(10_000);
        try {
            org.junit.jupiter.api.Assertions.assertEquals(-1, s.getInputStream().read(), "closed without data");
        } catch (java.net.SocketException e) {
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("reset"), e.toString());
        }
    }

    /** Polls the listener's counters until they match (counters are updated on the event loop). */
    static void awaitStats(Listener l, ListenerStats expected) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!l.stats().equals(expected) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        org.junit.jupiter.api.Assertions.assertEquals(expected, l.stats());
    }

    static StreamHandler echo() {
        return stream -> {
            stream.channel().pipeline().addLast(Echo.INSTANCE);
            stream.resumeReading();
        };
    }

    static byte[] readN(InputStream in, int n) throws java.io.IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new java.io.EOFException("read " + b.length + " of " + n);
        }
        return b;
    }

    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        static final Echo INSTANCE = new Echo();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
