package net.proxy.samples.tlsecho;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.proxy.l4.Cidr;
import net.proxy.l4.ConnectionFilter;
import net.proxy.l4.Endpoint;
import net.proxy.l4.Listener;
import net.proxy.l4.TcpOptions;
import net.proxy.l4.Transport;
import net.proxy.samples.Args;
import net.proxy.samples.EchoHandler;
import net.proxy.samples.Running;
import net.proxy.samples.Shutdown;
import net.proxy.tls.CertificateKey;
import net.proxy.tls.TlsAcceptor;
import net.proxy.tls.TlsServerSettings;
import net.proxy.tls.TlsServerSettingsBuilder;

/** A TLS echo server: SNI certificate selection, ALPN, a deny-list filter, a digest line per client. */
public final class TlsEcho {
    /** The usage line shown by {@code bin/proxy --help}. */
    public static final String USAGE =
            "tls-echo --listen HOST:PORT --cert PEM --key PEM [--cert PEM --key PEM ...] [--deny CIDR ...]"
                    + " [--engine jdk|conscrypt]  TLS echo server, certificates picked by SNI";

    private TlsEcho() {}

    /**
     * Runs the sample until the JVM stops.
     *
     * @param args the options
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        Shutdown.await(start(args));
    }

    /**
     * Starts the server.
     *
     * @param args the options
     * @return the running server
     * @throws Exception if it cannot start
     */
    public static Running start(String[] args) throws Exception {
        Args a = Args.parse(args, Set.of(), Set.of("listen", "cert", "key", "deny", "engine"));
        List<String> certs = a.all("cert");
        List<String> keys = a.all("key");
        if (certs.isEmpty() || certs.size() != keys.size()) {
            throw new Args.UsageException("give --cert and --key in pairs (at least one pair)");
        }
        TlsServerSettingsBuilder tls = TlsServerSettings.builder().alpn("h2", "http/1.1");
        for (int i = 0; i < certs.size(); i++) {
            CertificateKey ck = CertificateKey.fromPem(Path.of(certs.get(i)), Path.of(keys.get(i)));
            tls.certificate(ck);
            System.out.println("certificate " + certs.get(i) + " for " + ck.dnsNames());
        }
        if (a.flag("engine") || !a.all("engine").isEmpty()) {
            tls.engine(a.get("engine", null));
        }
        List<Cidr> deny = a.all("deny").stream().map(Cidr::parse).collect(Collectors.toList());
        TlsServerSettings settings = tls.build();
        Transport transport = Transport.create(Math.max(1, Runtime.getRuntime().availableProcessors()));
        Listener listener = Listener.builder(transport)
                .endpoint(Endpoint.tcp(Args.hostPort(a.get("listen", null)), TcpOptions.DEFAULTS))
                .tls(TlsAcceptor.of(settings))
                .filter(ConnectionFilter.denying(deny))
                .handler(stream -> {
                    stream.digest()
                            .tlsDigest()
                            .ifPresent(d -> System.out.printf(
                                    "%s sni=%s alpn=%s %s %s engine=%s%n",
                                    stream.digest().clientAddress(),
                                    d.serverName(),
                                    d.applicationProtocol(),
                                    d.protocol(),
                                    d.cipherSuite(),
                                    d.engine()));
                    stream.channel().pipeline().addLast(EchoHandler.INSTANCE);
                    stream.resumeReading();
                })
                .build()
                .start();
        System.out.printf(
                "tls-echo listening on %s (engine %s, transport %s, deny %s)%n",
                listener.localAddresses(), settings.engine().name(), transport.name(), deny);
        return new Running(listener.localAddresses(), List.of(listener, transport));
    }
}
