package net.proxy.tls;

import java.net.SocketAddress;

/**
 * What is known when a server picks a certificate: the SNI name and the client's address.
 *
 * @param serverName the SNI host name (lower case), or {@code null} if the client sent none
 * @param remoteAddress the client's address (after PROXY protocol, if used)
 */
public record ClientHello(String serverName, SocketAddress remoteAddress) {}
