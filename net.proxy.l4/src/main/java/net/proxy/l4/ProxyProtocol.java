package net.proxy.l4;

/** Which PROXY protocol header a connector sends upstream before any other byte. */
public enum ProxyProtocol {
    /** The human-readable v1 header ({@code PROXY TCP4 1.2.3.4 5.6.7.8 1111 2222\r\n}). */
    V1,
    /** The binary v2 header. */
    V2
}
