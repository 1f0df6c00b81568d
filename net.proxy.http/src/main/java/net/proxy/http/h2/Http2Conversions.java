package net.proxy.http.h2;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import net.proxy.http.HttpHeaders;
import net.proxy.http.HttpVersion;
import net.proxy.http.InvalidPseudoHeaderException;
import net.proxy.http.RequestHeader;
import net.proxy.http.ResponseHeader;

/**
 * Converts heads between the HTTP/1 model ({@link RequestHeader}, {@link ResponseHeader}) and Netty's
 * {@link Http2Headers}.
 *
 * <p>To HTTP/2 (RFC 9113 §8.2, §8.3): the request line becomes {@code :method}, {@code :scheme},
 * {@code :authority} (from an absolute-form target, else Host) and {@code :path} (CONNECT carries only
 * {@code :method} and {@code :authority}); names are lower-cased; Host and the connection-specific fields
 * (Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding, Upgrade, and every field the Connection field
 * names) are dropped; TE is kept only as {@code te: trailers}; a Cookie field is split into one field per
 * cookie ("crumbled", §8.2.3) so HPACK can index them separately.
 *
 * <p>From HTTP/2: pseudo-headers are checked (required, not repeated, none unknown; §8.3), Host is added from
 * {@code :authority} when absent (a Host that disagrees with {@code :authority} makes the request malformed), a
 * field name or value a HTTP/1 message could not carry (CR, LF, NUL...) is refused, cookie crumbs are joined with {@code "; "}, connection-specific fields are
 * dropped, and the version is {@link HttpVersion#HTTP_2}. A serializer writes such a head as HTTP/1.1.
 *
 * <pre>{@code
 * Http2Headers h2 = Http2Conversions.toHttp2(request, "https");
 * RequestHeader back = Http2Conversions.toRequestHeader(h2);
 * }</pre>
 *
 * <p>[1] RFC 9113 §8.2.2 Connection-Specific Header Fields, §8.2.3 Compressing the Cookie Header Field, §8.3
 * HTTP Control Data, https://www.rfc-editor.org/rfc/rfc9113
 */
// "exports": Http2Headers comes from io.netty.codec.http2, which net.proxy.http requires statically and not
// transitively, so HTTP/1-only users need not have it; a user of this class requires io.netty.codec.http2 itself.
@SuppressWarnings("exports")
public final class Http2Conversions {
    private static final AsciiString COOKIE = AsciiString.cached("cookie");
    private static final AsciiString TE = AsciiString.cached("te");
    private static final AsciiString TRAILERS = AsciiString.cached("trailers");
    /** Lower-case constants of field names as origins and clients usually spell them. */
    private static final Map<String, AsciiString> COMMON_NAMES = new HashMap<>();

    static {
        for (String name : List.of(
                "Accept",
                "Accept-Encoding",
                "Accept-Language",
                "Accept-Ranges",
                "Access-Control-Allow-Origin",
                "Age",
                "Allow",
                "Authorization",
                "Cache-Control",
                "Content-Disposition",
                "Content-Encoding",
                "Content-Language",
                "Content-Length",
                "Content-Range",
                "Content-Type",
                "Date",
                "ETag",
                "Expires",
                "If-Modified-Since",
                "If-None-Match",
                "Last-Modified",
                "Link",
                "Location",
                "Origin",
                "Pragma",
                "Range",
                "Referer",
                "Retry-After",
                "Server",
                "Set-Cookie",
                "Strict-Transport-Security",
                "User-Agent",
                "Vary",
                "Via",
                "WWW-Authenticate",
                "X-Content-Type-Options",
                "X-Forwarded-For",
                "X-Forwarded-Proto",
                "X-Frame-Options",
                "X-Request-Id")) {
            COMMON_NAMES.put(name, AsciiString.cached(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** {@code :status} values 100 to 599, made once. */
    private static final AsciiString[] STATUS = new AsciiString[600];

    static {
        for (int i = 100; i < STATUS.length; i++) {
            STATUS[i] = AsciiString.cached(Integer.toString(i));
        }
    }

    /** The request pseudo-headers of RFC 9113 §8.3.1, and {@code :protocol} of extended CONNECT (RFC 8441). */
    private static final java.util.Set<String> REQUEST_PSEUDO_HEADERS =
            java.util.Set.of(":method", ":scheme", ":authority", ":path", ":protocol");

    private Http2Conversions() {}

    /**
     * Converts a request head to HTTP/2 header fields.
     *
     * @param request the head; not modified
     * @param defaultScheme {@code :scheme} when the target is not absolute-form, e.g. {@code "https"}
     * @return new headers with the pseudo-headers first
     */
    public static Http2Headers toHttp2(RequestHeader request, String defaultScheme) {
        Objects.requireNonNull(defaultScheme, "defaultScheme");
        // names and values come from HttpHeaders, which validated them: no second validation here
        Http2Headers out = new DefaultHttp2Headers(false);
        out.method(request.method());
        String authority = request.host();
        if (request.isConnect()) {
            out.authority(request.target());
        } else {
            String scheme = request.scheme();
            out.scheme(scheme != null ? scheme : defaultScheme);
            if (authority != null) {
                out.authority(authority);
            }
            String query = request.query();
            out.path(query == null ? request.path() : request.path() + '?' + query);
        }
        copyFields(request.headers(), out);
        return out;
    }

    /**
     * Converts a response head to HTTP/2 header fields.
     *
     * @param response the head; not modified
     * @return new headers starting with {@code :status}
     */
    public static Http2Headers toHttp2(ResponseHeader response) {
        // names and values come from HttpHeaders, which validated them: no second validation here
        Http2Headers out = new DefaultHttp2Headers(false);
        int status = response.status();
        out.status(status < STATUS.length ? STATUS[status] : AsciiString.of(Integer.toString(status)));
        copyFields(response.headers(), out);
        return out;
    }

    /**
     * Converts HTTP/2 request header fields to a request head.
     *
     * @param headers the fields of a HEADERS frame
     * @return a new head with version {@link HttpVersion#HTTP_2}
     * @throws InvalidPseudoHeaderException if a pseudo-header is missing, repeated, unknown or out of place, Host
     *     disagrees with {@code :authority}, or a field is invalid in HTTP/1
     */
    public static RequestHeader toRequestHeader(Http2Headers headers) {
        // one pass over the pseudo-headers (no lookups, no lists): each at most once, none unknown
        CharSequence method = null;
        CharSequence scheme = null;
        CharSequence authority = null;
        CharSequence path = null;
        for (Map.Entry<CharSequence, CharSequence> e : headers) {
            CharSequence name = e.getKey();
            if (name.length() == 0 || name.charAt(0) != ':') {
                continue;
            }
            CharSequence value = e.getValue();
            if (AsciiString.contentEquals(name, Http2Headers.PseudoHeaderName.METHOD.value())) {
                method = once(name, method, value);
            } else if (AsciiString.contentEquals(name, Http2Headers.PseudoHeaderName.PATH.value())) {
                path = once(name, path, value);
            } else if (AsciiString.contentEquals(name, Http2Headers.PseudoHeaderName.SCHEME.value())) {
                scheme = once(name, scheme, value);
            } else if (AsciiString.contentEquals(name, Http2Headers.PseudoHeaderName.AUTHORITY.value())) {
                authority = once(name, authority, value);
            } else if (!REQUEST_PSEUDO_HEADERS.contains(name.toString())) {
                throw new InvalidPseudoHeaderException(name + " in a request");
            }
        }
        if (method == null) {
            throw new InvalidPseudoHeaderException("missing :method");
        }
        String m = method.toString();
        boolean connect = "CONNECT".equals(m);
        if (connect ? authority == null || path != null || scheme != null : path == null || scheme == null) {
            throw new InvalidPseudoHeaderException(
                    connect
                            ? "CONNECT needs :authority without :path and :scheme"
                            : "request without :path or :scheme");
        }
        String a = authority == null ? null : authority.toString();
        RequestHeader request;
        try {
            request = RequestHeader.of(m, connect ? a : path.toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidPseudoHeaderException(e.getMessage());
        }
        request.version(HttpVersion.HTTP_2);
        HttpHeaders fields = request.headers();
        CharSequence host = headers.get("host");
        if (a != null && host == null) {
            fields.add("host", a);
        } else if (a != null && !a.equalsIgnoreCase(host.toString())) {
            // RFC 9113 §8.3.1: a request whose Host and :authority disagree is malformed (two targets: a desync)
            throw new InvalidPseudoHeaderException("Host " + host + " disagrees with :authority " + a);
        }
        try {
            copyFields(headers, fields);
        } catch (IllegalArgumentException e) {
            throw new InvalidPseudoHeaderException("invalid field: " + e.getMessage());
        }
        return request;
    }

    /** {@code value} of pseudo-header {@code name}, which must not have been seen ({@code seen} null) before. */
    private static CharSequence once(CharSequence name, CharSequence seen, CharSequence value) {
        if (seen != null) {
            throw new InvalidPseudoHeaderException("repeated " + name);
        }
        return value;
    }

    /**
     * Converts HTTP/2 response header fields to a response head.
     *
     * @param headers the fields of a HEADERS frame
     * @return a new head with version {@link HttpVersion#HTTP_2} and the standard reason phrase
     * @throws InvalidPseudoHeaderException if {@code :status} is missing, repeated or not 3 digits, or a request
     *     pseudo-header is present
     */
    public static ResponseHeader toResponseHeader(Http2Headers headers) {
        String status = single(headers, Http2Headers.PseudoHeaderName.STATUS.value());
        for (Map.Entry<CharSequence, CharSequence> e : headers) {
            if (e.getKey().length() > 0
                    && e.getKey().charAt(0) == ':'
                    && !Http2Headers.PseudoHeaderName.STATUS.value().contentEquals(e.getKey())) {
                throw new InvalidPseudoHeaderException(e.getKey() + " in a response");
            }
        }
        if (status.length() != 3 || !status.chars().allMatch(c -> c >= '0' && c <= '9') || status.charAt(0) == '0') {
            throw new InvalidPseudoHeaderException(":status " + status + " is not 3 digits from 100");
        }
        ResponseHeader response = ResponseHeader.of(Integer.parseInt(status));
        response.version(HttpVersion.HTTP_2);
        copyFields(headers, response.headers());
        return response;
    }

    /**
     * Converts a trailer section to HTTP/2 header fields for a trailing HEADERS frame (RFC 9113 §8.1): names are
     * lower-cased and connection-specific fields dropped, as for a head.
     *
     * @param trailers the trailer fields; not modified
     * @return new headers without pseudo-headers
     */
    public static Http2Headers toHttp2Trailers(HttpHeaders trailers) {
        Http2Headers out = new DefaultHttp2Headers();
        copyFields(trailers, out);
        return out;
    }

    /**
     * Converts the fields of a trailing HEADERS frame to a trailer section.
     *
     * @param headers the fields of the frame
     * @return new trailer fields, connection-specific ones dropped
     * @throws InvalidPseudoHeaderException if a pseudo-header is present (RFC 9113 §8.1: trailers carry none)
     */
    public static HttpHeaders toTrailers(Http2Headers headers) {
        for (Map.Entry<CharSequence, CharSequence> e : headers) {
            if (e.getKey().length() > 0 && e.getKey().charAt(0) == ':') {
                throw new InvalidPseudoHeaderException(e.getKey() + " in trailers");
            }
        }
        HttpHeaders out = HttpHeaders.create();
        copyFields(headers, out);
        return out;
    }

    private static String single(Http2Headers headers, CharSequence name) {
        String v = optional(headers, name);
        if (v == null) {
            throw new InvalidPseudoHeaderException("missing " + name);
        }
        return v;
    }

    private static String optional(Http2Headers headers, CharSequence name) {
        java.util.List<CharSequence> all = headers.getAll(name);
        if (all.size() > 1) {
            throw new InvalidPseudoHeaderException("repeated " + name);
        }
        return all.isEmpty() ? null : all.get(0).toString();
    }

    private static void copyFields(HttpHeaders in, Http2Headers out) {
        // without a Connection field, the fixed connection-specific names are the only ones to drop
        boolean named = in.contains("Connection");
        for (int i = 0; i < in.size(); i++) {
            String name = in.name(i);
            if (name.equalsIgnoreCase("host")
                    || (named ? ConnectionFields.isConnectionSpecific(name, in) : ConnectionFields.isFixed(name))) {
                continue;
            }
            String value = in.value(i);
            if (name.equalsIgnoreCase("te")) {
                if (in.containsToken("TE", "trailers")) {
                    out.set(TE, TRAILERS);
                }
            } else if (name.equalsIgnoreCase("cookie")) {
                for (String crumb : value.split(";")) {
                    String c = crumb.trim();
                    if (!c.isEmpty()) {
                        out.add(COOKIE, c);
                    }
                }
            } else {
                out.add(lowerCase(name), value);
            }
        }
    }

    /**
     * {@code name} in lower case: a shared constant for common field names (no copy, and its hash is computed once
     * for HPACK), the same instance when it has no upper-case letter, else a lower-cased copy.
     */
    private static CharSequence lowerCase(String name) {
        AsciiString common = COMMON_NAMES.get(name);
        if (common != null) {
            return common;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }

    private static void copyFields(Http2Headers in, HttpHeaders out) {
        // A Connection field (which RFC 9113 forbids) may name more fields to drop; without one, the fixed
        // connection-specific names are the only ones (the common case: one pass, no copy).
        HttpHeaders named = null;
        if (in.contains("connection")) {
            named = HttpHeaders.create();
            for (CharSequence v : in.getAll("connection")) {
                named.add("connection", v.toString());
            }
        }
        StringBuilder cookies = null;
        for (Map.Entry<CharSequence, CharSequence> e : in) {
            CharSequence name = e.getKey();
            if (name.length() > 0 && name.charAt(0) == ':') {
                continue;
            }
            String n = name.toString();
            if (named != null ? ConnectionFields.isConnectionSpecific(n, named) : ConnectionFields.isFixed(n)) {
                continue;
            }
            String value = e.getValue().toString();
            if (n.equalsIgnoreCase("cookie")) {
                cookies = cookies == null
                        ? new StringBuilder(value)
                        : cookies.append("; ").append(value);
            } else {
                out.add(n, value);
            }
        }
        if (cookies != null) {
            out.add("cookie", cookies.toString());
        }
    }
}
