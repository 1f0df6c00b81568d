package net.proxy.samples.clientcertinfo;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import net.proxy.core.HttpPeer;
import net.proxy.core.HttpProxy;
import net.proxy.core.ProxyHttp;
import net.proxy.core.Session;
import net.proxy.http.ResponseHeader;
import net.proxy.l4.StreamDigest;
import net.proxy.samples.Args;
import net.proxy.samples.http.HttpSamples;
import net.proxy.tls.CertificateInfo;
import net.proxy.tls.CertificateKey;
import net.proxy.tls.ClientAuth;
import net.proxy.tls.Pem;
import net.proxy.tls.TlsServerSettings;

/** An HTTPS server that requires a client certificate and answers with its subject and names. */
public final class ClientCertInfo implements ProxyHttp<Void> {
    /** The usage line shown by {@code bin/proxy --help}. */
    public static final String USAGE = "client-cert-info --listen HOST:PORT --cert PEM --key PEM --client-ca PEM"
            + "  mTLS server that shows the client certificate";

    private ClientCertInfo() {}

    /**
     * Runs the server until stopped.
     *
     * @param args the options
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        HttpSamples.serve(
                proxy(args), "(HTTPS; curl --cacert CA --cert CLIENT.pem --key CLIENT.key https://HOST:PORT/)");
    }

    /**
     * The service the options describe, not started.
     *
     * @param args the options
     * @return the HTTPS service
     * @throws Exception if a PEM file cannot be read
     */
    public static HttpProxy<Void> proxy(String[] args) throws Exception {
        Args a = Args.parse(args, Set.of(), Set.of("listen", "cert", "key", "client-ca"));
        TlsServerSettings tls = TlsServerSettings.builder()
                .certificate(CertificateKey.fromPem(Path.of(a.get("cert", null)), Path.of(a.get("key", null))))
                .clientAuth(ClientAuth.REQUIRED)
                .trustedClientRoots(Pem.certificates(Path.of(a.get("client-ca", null))))
                .build();
        return HttpProxy.builder(new ClientCertInfo())
                .name("client-cert-info")
                .listen(Args.hostPort(a.get("listen", null)))
                .tls(tls)
                .build();
    }

    @Override
    public Void newContext() {
        return null;
    }

    @Override
    public boolean requestFilter(Session session, Void ctx) {
        StreamDigest d = session.digest();
        StringBuilder body = new StringBuilder();
        if (d.tls() == null || d.tls().peerCertificates().isEmpty()) {
            body.append("no client certificate\n");
        } else {
            CertificateInfo c = d.tls().peerCertificates().get(0);
            body.append("subject: ").append(c.subject()).append('\n');
            body.append("subject alt names: ")
                    .append(String.join(", ", c.subjectAltNames()))
                    .append('\n');
            body.append("serial: ").append(c.serialNumber()).append('\n');
            body.append("protocol: ")
                    .append(d.tls().protocol())
                    .append(", cipher: ")
                    .append(d.tls().cipherSuite())
                    .append('\n');
        }
        ResponseHeader h = ResponseHeader.of(200);
        h.headers().add("Content-Type", "text/plain; charset=utf-8");
        session.writeResponse(h, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        return true;
    }

    @Override
    public HttpPeer upstreamPeer(Session session, Void ctx) {
        throw new IllegalStateException("answers every request itself");
    }
}
