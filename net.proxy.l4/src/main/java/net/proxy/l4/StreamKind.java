package net.proxy.l4;

/** What carries a {@link Stream}. */
public enum StreamKind {
    /** A TCP connection (IPv4 or IPv6). */
    TCP,
    /** A Unix domain socket connection. */
    UNIX,
    /** A stream of a {@link net.proxy.l4.spi.VirtualTransport}. */
    VIRTUAL
}
