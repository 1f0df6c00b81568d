package net.proxy.http.h2;

import net.proxy.http.HttpHeaders;

/** The connection-specific fields of RFC 9113 §8.2.2, which HTTP/2 forbids. */
final class ConnectionFields {
    private ConnectionFields() {}

    /** Whether {@code name} is connection-specific, or named by a Connection field of {@code fields}. */
    static boolean isConnectionSpecific(String name, HttpHeaders fields) {
        return isFixed(name) || fields.containsToken("Connection", name);
    }

    /** Whether {@code name} is one of the five fields that are always connection-specific. */
    static boolean isFixed(String name) {
        return name.equalsIgnoreCase("connection")
                || name.equalsIgnoreCase("keep-alive")
                || name.equalsIgnoreCase("proxy-connection")
                || name.equalsIgnoreCase("transfer-encoding")
                || name.equalsIgnoreCase("upgrade");
    }
}
