package net.proxy.l4;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Converts between our {@link ProxyHeader} and Netty's HAProxy codec messages. The codec does the
 * byte-level work (v1 text line, v2 12-byte signature + version/command + family + addresses);
 * only INET families carry addresses here, UNIX and UNSPEC are reported as {@code local}.
 *
 * <p>[1] The PROXY protocol, versions 1 and 2, https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt
 */
final class ProxyHeaders {
    private ProxyHeaders() {}

    static ProxyHeader fromMessage(HAProxyMessage m) {
        int version = m.protocolVersion() == HAProxyProtocolVersion.V1 ? 1 : 2;
        HAProxyProxiedProtocol p = m.proxiedProtocol();
        boolean inet = m.command() == HAProxyCommand.PROXY
                && (p == HAProxyProxiedProtocol.TCP4
                        || p == HAProxyProxiedProtocol.TCP6
                        || p == HAProxyProxiedProtocol.UDP4
                        || p == HAProxyProxiedProtocol.UDP6);
        if (!inet) {
            return new ProxyHeader(version, true, null, null);
        }
        return new ProxyHeader(
                version,
                false,
                address(m.sourceAddress(), m.sourcePort()),
                address(m.destinationAddress(), m.destinationPort()));
    }

    /**
     * Returns what to write: a ready v1 {@code UNKNOWN} line (Netty's encoder does not write that
     * form), else the codec message for the pipeline encoder, which releases it.
     */
    static Object encode(
            ByteBufAllocator alloc, ProxyProtocol protocol, SocketAddress source, SocketAddress destination) {
        HAProxyMessage m = toMessage(protocol, source, destination);
        if (m.protocolVersion() == HAProxyProtocolVersion.V1 && m.proxiedProtocol() == HAProxyProxiedProtocol.UNKNOWN) {
            m.release();
            return ByteBufUtil.writeAscii(alloc, "PROXY UNKNOWN\r\n");
        }
        return m;
    }

    /** Builds the codec message. */
    static HAProxyMessage toMessage(ProxyProtocol protocol, SocketAddress source, SocketAddress destination) {
        HAProxyProtocolVersion version =
                protocol == ProxyProtocol.V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2;
        if (!(source instanceof InetSocketAddress)
                || !(destination instanceof InetSocketAddress)
                || ((InetSocketAddress) source).getAddress() == null
                || ((InetSocketAddress) destination).getAddress() == null) {
            return version == HAProxyProtocolVersion.V1
                    ? new HAProxyMessage(
                            version, HAProxyCommand.PROXY, HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0)
                    : new HAProxyMessage(
                            version, HAProxyCommand.LOCAL, HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0);
        }
        InetSocketAddress s = (InetSocketAddress) source;
        InetSocketAddress d = (InetSocketAddress) destination;
        InetAddress sa = s.getAddress();
        InetAddress da = d.getAddress();
        boolean v4 = sa instanceof Inet4Address && da instanceof Inet4Address;
        return new HAProxyMessage(
                version,
                HAProxyCommand.PROXY,
                v4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
                v4 ? sa.getHostAddress() : v6(sa),
                v4 ? da.getHostAddress() : v6(da),
                s.getPort(),
                d.getPort());
    }

    private static String v6(InetAddress a) {
        return a instanceof Inet4Address ? "::ffff:" + a.getHostAddress() : NetUtil.toAddressString(a);
    }

    private static InetSocketAddress address(String ip, int port) {
        InetAddress a = NetUtil.createInetAddressFromIpAddressString(ip);
        if (a == null) {
            throw new IllegalArgumentException("PROXY header: invalid address " + ip);
        }
        return new InetSocketAddress(a, port);
    }
}
