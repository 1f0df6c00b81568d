package net.proxy.core;

/** Which side of the proxy an {@link ProxyError} comes from; it decides the default status code. */
public enum ErrorSource {
    /** The origin side: connecting, writing the request to, or reading the response from an upstream. */
    UPSTREAM,
    /** The client side: reading the request from, or writing the response to, the downstream connection. */
    DOWNSTREAM,
    /** The proxy itself: a filter that failed, a bug, a resource limit. */
    INTERNAL
}
