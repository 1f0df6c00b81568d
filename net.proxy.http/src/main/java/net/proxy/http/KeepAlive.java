package net.proxy.http;

/** The persistence rule of RFC 9112 §9.3, shared by requests and responses. */
final class KeepAlive {
    private KeepAlive() {}

    static boolean of(HttpVersion version, HttpHeaders headers) {
        return switch (version) {
            case HTTP_1_0 -> headers.containsToken("Connection", "keep-alive");
            case HTTP_1_1 -> !headers.containsToken("Connection", "close");
            case HTTP_2 -> true;
        };
    }
}
