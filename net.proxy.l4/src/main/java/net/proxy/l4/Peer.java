package net.proxy.l4;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;
import net.proxy.l4.spi.VirtualTransport;
import net.proxy.tls.TlsConnector;

/**
 * An upstream to connect to: its address (TCP {@link InetSocketAddress}, Unix {@link
 * java.net.UnixDomainSocketAddress}, or an address of a {@linkplain #transport() virtual
 * transport}) and how to connect (timeouts, bind address, keep-alive, TLS, PROXY protocol).
 *
 * <p>Defaults: 10 s connect timeout, no total timeout, TCP_NODELAY on, no keep-alive, plaintext,
 * no PROXY header.
 */
public final class Peer {
    private final SocketAddress address;
    private final VirtualTransport transport;
    private final TlsConnector tls;
    private final String serverName;
    private final Duration connectTimeout;
    private final Duration totalTimeout;
    private final InetSocketAddress bindAddress;
    private final TcpKeepAlive keepAlive;
    private final boolean noDelay;
    private final ProxyProtocol proxyProtocol;

    Peer(PeerBuilder b) {
        this.address = b.address;
        this.transport = b.transport;
        this.tls = b.tls;
        this.serverName = b.serverName != null
                ? b.serverName
                : b.address instanceof InetSocketAddress ? ((InetSocketAddress) b.address).getHostString() : null;
        if (tls != null && serverName == null) {
            throw new IllegalArgumentException(
                    "serverName: not set (expected: a name for TLS to a non-IP address " + b.address + ")");
        }
        this.connectTimeout = b.connectTimeout;
        this.totalTimeout = b.totalTimeout;
        this.bindAddress = b.bindAddress;
        this.keepAlive = b.keepAlive;
        this.noDelay = b.noDelay;
        this.proxyProtocol = b.proxyProtocol;
    }

    /**
     * Starts building a peer.
     *
     * @param address the upstream's address
     * @return a new builder
     */
    public static PeerBuilder builder(SocketAddress address) {
        return new PeerBuilder(address);
    }

    /**
     * Starts building a TCP peer.
     *
     * @param host a host name or IP literal (resolved now)
     * @param port the port
     * @return a new builder
     */
    public static PeerBuilder builder(String host, int port) {
        return new PeerBuilder(new InetSocketAddress(host, port));
    }

    /**
     * Starts a builder holding every option of this peer, to build a variant of it (e.g. with another TLS
     * connector).
     *
     * @return a new builder
     */
    public PeerBuilder toBuilder() {
        PeerBuilder b = new PeerBuilder(address);
        b.transport = transport;
        b.tls = tls;
        b.serverName = serverName;
        b.connectTimeout = connectTimeout;
        b.totalTimeout = totalTimeout;
        b.bindAddress = bindAddress;
        b.keepAlive = keepAlive;
        b.noDelay = noDelay;
        b.proxyProtocol = proxyProtocol;
        return b;
    }

    /**
     * Returns the address.
     *
     * @return the address
     */
    public SocketAddress address() {
        return address;
    }

    /**
     * Returns the virtual transport to connect through.
     *
     * @return the transport; empty for sockets
     */
    public Optional<VirtualTransport> transport() {
        return Optional.ofNullable(transport);
    }

    /**
     * Returns the TLS client.
     *
     * @return the connector; empty for plaintext
     */
    public Optional<TlsConnector> tls() {
        return Optional.ofNullable(tls);
    }

    /**
     * Returns the TLS server name.
     *
     * @return the name, or {@code null} when not applicable
     */
    public String serverName() {
        return serverName;
    }

    /**
     * Returns the connect timeout.
     *
     * @return the timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Returns the total timeout.
     *
     * @return the timeout; empty for none
     */
    public Optional<Duration> totalTimeout() {
        return Optional.ofNullable(totalTimeout);
    }

    /**
     * Returns the local bind address.
     *
     * @return the address; empty for the kernel's choice
     */
    public Optional<InetSocketAddress> bindAddress() {
        return Optional.ofNullable(bindAddress);
    }

    /**
     * Returns the keep-alive probing.
     *
     * @return the probing; empty for off
     */
    public Optional<TcpKeepAlive> keepAlive() {
        return Optional.ofNullable(keepAlive);
    }

    /**
     * Tells whether TCP_NODELAY is set.
     *
     * @return {@code true} by default
     */
    public boolean noDelay() {
        return noDelay;
    }

    /**
     * Returns the PROXY header version to send.
     *
     * @return the version; empty for none
     */
    public Optional<ProxyProtocol> proxyProtocol() {
        return Optional.ofNullable(proxyProtocol);
    }

    @Override
    public String toString() {
        return "Peer("
                + address
                + (transport != null ? " via " + transport.name() : "")
                + (tls != null ? " tls sni=" + serverName : "")
                + ")";
    }
}
