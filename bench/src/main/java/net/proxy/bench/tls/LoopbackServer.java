package net.proxy.bench.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import net.proxy.l4.Endpoint;
import net.proxy.l4.Listener;
import net.proxy.l4.Transport;
import net.proxy.tls.CertificateKey;
import net.proxy.tls.TlsEngine;
import net.proxy.tls.TlsServerSettings;

/**
 * Our TLS listener in a process of its own, so that the suite can pin it to one core with {@code
 * taskset} exactly like nginx and read its CPU time from {@code /proc}: one event loop thread,
 * Conscrypt, the given certificate, every read discarded. Prints {@code port N} once listening and
 * runs until its standard input closes.
 *
 * <p>Run: {@code taskset -c 1 java -cp bench/target/benchmarks.jar
 * net.proxy.bench.tls.LoopbackServer CERT.pem KEY.pem}.
 */
public final class LoopbackServer {
    private LoopbackServer() {}

    /**
     * Starts the listener.
     *
     * @param args the certificate chain PEM file and the private key PEM file
     * @throws Exception if the listener cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: LoopbackServer CERT.pem KEY.pem");
        }
        CertificateKey certificate = CertificateKey.fromPem(Path.of(args[0]), Path.of(args[1]));
        try (Transport t = Transport.create(1);
                Listener l = Listener.builder(t)
                        .endpoint(Endpoint.tcp("127.0.0.1", 0))
                        .tls(TlsServerSettings.builder()
                                .engine(TlsEngine.CONSCRYPT)
                                .certificate(certificate)
                                .build())
                        .handler(s -> {
                            s.channel().pipeline().addLast(new Discard());
                            s.resumeReading();
                        })
                        .build()
                        .start()) {
            System.out.println("port " + ((InetSocketAddress) l.localAddresses().get(0)).getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Runs until the parent closes our standard input.
                Thread.onSpinWait();
            }
        }
    }

    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // s_time resets connections after its handshake: expected
        }
    }
}
