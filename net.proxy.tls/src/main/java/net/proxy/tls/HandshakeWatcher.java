package net.proxy.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import java.nio.channels.ClosedChannelException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Sits behind the {@link SslHandler}, turns its completion event into a {@link TlsDigest}, runs the
 * handshake callback, stores the digest on the channel and removes itself.
 */
final class HandshakeWatcher extends ChannelInboundHandlerAdapter {
    static final AttributeKey<TlsDigest> DIGEST = AttributeKey.valueOf(TlsDigest.class, "digest");
    static final String NAME = "net.proxy.tls.watcher";

    private final CompletableFuture<TlsDigest> result;
    private final TlsOptions options;
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    private volatile String serverName;

    private final boolean peerSendsCertificates;
    private final boolean serverNameFromSession;

    /**
     * Creates the watcher.
     *
     * @param peerSendsCertificates whether to read the peer chain: false for servers that do not ask
     *     for client certificates (asking the session would only throw)
     * @param serverNameFromSession whether the SNI name is read from the session at the end (a server
     *     that skipped the SNI step) rather than given
     */
    HandshakeWatcher(
            CompletableFuture<TlsDigest> result,
            TlsOptions options,
            String serverName,
            boolean peerSendsCertificates,
            boolean serverNameFromSession) {
        this.result = result;
        this.options = options;
        this.serverName = serverName;
        this.peerSendsCertificates = peerSendsCertificates;
        this.serverNameFromSession = serverNameFromSession;
    }

    void serverName(String name) {
        this.serverName = name;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent) {
            SslHandshakeCompletionEvent done = (SslHandshakeCompletionEvent) evt;
            if (done.isSuccess()) {
                succeed(ctx);
            } else {
                fail(ctx, done.cause());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void succeed(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        SSLSession session = ssl.engine().getSession();
        TlsDigest digest = new TlsDigest(
                options.engine().name(),
                session.getProtocol(),
                session.getCipherSuite(),
                serverNameFromSession ? requestedServerName(session) : serverName,
                emptyToNull(ssl.engine().getApplicationProtocol()),
                options.engine().provider().isResumed(session, startMillis),
                peerSendsCertificates ? peerChain(session) : List.of(),
                Duration.ofNanos(System.nanoTime() - startNanos),
                null);
        try {
            HandshakeCallback callback = options.handshakeCallback();
            if (callback != null) {
                digest = digest.withExtension(callback.onHandshakeComplete(digest));
            }
        } catch (RuntimeException e) {
            fail(ctx, e);
            return;
        }
        ctx.channel().attr(DIGEST).set(digest);
        ctx.pipeline().remove(this);
        result.complete(digest);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (result.completeExceptionally(cause)) {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (result.isDone()) {
            ctx.fireExceptionCaught(cause);
        } else {
            fail(ctx, cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        result.completeExceptionally(new ClosedChannelException());
        ctx.fireChannelInactive();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The SNI host name the client sent, lower-cased like the SNI step reports it, or null. */
    private static String requestedServerName(SSLSession session) {
        if (session instanceof ExtendedSSLSession) {
            for (SNIServerName n : ((ExtendedSSLSession) session).getRequestedServerNames()) {
                if (n instanceof SNIHostName) {
                    return ((SNIHostName) n).getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    private static List<CertificateInfo> peerChain(SSLSession session) {
        try {
            List<CertificateInfo> out = new ArrayList<>();
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate) {
                    out.add(CertificateInfo.of((X509Certificate) c));
                }
            }
            return out;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }
}
