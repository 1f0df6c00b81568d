package net.proxy.http;

/**
 * The framing and Host rules of RFC 9112 applied to a parsed head, strictly.
 *
 * <p>How: Content-Length values must be plain digits that fit a {@code long}; duplicates must be equal
 * (RFC 9110 §8.6). Transfer-Encoding fields are read as one comma-separated list in field order; empty
 * elements are skipped except a trailing one, which counts as a final coding that is not {@code chunked}
 * (so {@code "chunked, "} is refused). In a request: Transfer-Encoding with Content-Length, Transfer-Encoding
 * in HTTP/1.0, {@code chunked} twice, a final coding other than {@code chunked}, and unregistered codings are
 * rejected; a missing (HTTP/1.1) or repeated Host, or a Host outside the authority grammar, too. A response
 * body follows RFC 9112 §6.3 in order: none for HEAD, 1xx, 204 and 304; a tunnel for a 2xx to CONNECT;
 * chunked if the final coding is chunked (Content-Length is then removed, as RFC 9112 §6.3 rule 3 demands),
 * close-delimited for any other Transfer-Encoding; Content-Length; else close-delimited.
 *
 * <p>[1] RFC 9112 §3.2, §6.1, §6.3, https://www.rfc-editor.org/rfc/rfc9112
 * <br>[2] RFC 9110 §8.6 Content-Length, https://www.rfc-editor.org/rfc/rfc9110#section-8.6
 */
final class MessageRules {
    private static final String[] KNOWN_CODINGS = {
        "chunked", "gzip", "deflate", "compress", "x-gzip", "x-compress", "identity"
    };

    private MessageRules() {}

    /**
     * The framing of a request; {@code seen} is the parser's {@link FramingFields} summary, or
     * {@link FramingFields#UNKNOWN} for a head built in code (then the Host rules are skipped); {@code first}
     * holds the parser's first-field indexes, or is null with {@code UNKNOWN}.
     */
    static BodyFraming request(HttpVersion version, HttpHeaders h, int seen, int[] first) {
        boolean parsed = seen != FramingFields.UNKNOWN;
        if (parsed) {
            checkHost(version, h, seen, first[FramingFields.HOST_SLOT]);
        }
        long length = (seen & FramingFields.CONTENT_LENGTH) == 0 ? -1 : contentLength(h, seen, first);
        if ((seen & FramingFields.TRANSFER_ENCODING) == 0 || (!parsed && !h.contains("Transfer-Encoding"))) {
            return length < 0 ? BodyFraming.NONE : BodyFraming.contentLength(length);
        }
        if (version == HttpVersion.HTTP_1_0) {
            throw new InvalidTransferEncodingException("Transfer-Encoding in an HTTP/1.0 request");
        }
        if (length >= 0) {
            throw new SmugglingException("both Content-Length and Transfer-Encoding in a request");
        }
        if (!chunkedIsFinal(h, true, seen, first)) {
            throw new InvalidTransferEncodingException("final transfer coding of a request is not chunked");
        }
        return BodyFraming.CHUNKED;
    }

    /** The framing of a response to {@code requestMethod}; {@code seen} and {@code first} as for {@link #request}. */
    static BodyFraming response(
            HttpVersion version, int status, String requestMethod, HttpHeaders h, int seen, int[] first) {
        long length = (seen & FramingFields.CONTENT_LENGTH) == 0 ? -1 : contentLength(h, seen, first);
        boolean te = (seen & FramingFields.TRANSFER_ENCODING) != 0 && h.contains("Transfer-Encoding");
        if (te && version == HttpVersion.HTTP_1_0) {
            throw new InvalidTransferEncodingException("Transfer-Encoding in an HTTP/1.0 response");
        }
        if ("HEAD".equals(requestMethod) || status < 200 || status == 204 || status == 304) {
            return BodyFraming.NONE;
        }
        if ("CONNECT".equals(requestMethod) && status < 300) {
            return BodyFraming.TUNNEL;
        }
        if (te) {
            boolean chunked = chunkedIsFinal(h, false, seen, first);
            h.remove("Content-Length");
            return chunked ? BodyFraming.CHUNKED : BodyFraming.CLOSE_DELIMITED;
        }
        return length < 0 ? BodyFraming.CLOSE_DELIMITED : BodyFraming.contentLength(length);
    }

    private static void checkHost(HttpVersion version, HttpHeaders h, int seen, int i) {
        if ((seen & FramingFields.HOST) == 0) {
            if (version == HttpVersion.HTTP_1_1) {
                throw new MissingHostException("HTTP/1.1 request without Host");
            }
            return;
        }
        if ((seen & FramingFields.MANY_HOSTS) != 0) {
            throw new DuplicateHostException("more than one Host field line");
        }
        if ((seen & FramingFields.HOST_CHECKED) != 0) {
            return;
        }
        byte[] a = Http1FieldWriter.valueArray(h, i);
        long bounds = Http1FieldWriter.valueBounds(h, i);
        for (int j = (int) (bounds >>> 32), end = (int) bounds; j < end; j++) {
            if (!HttpChars.isHost(a[j])) {
                throw new InvalidHeaderValueException("Host contains 0x" + Integer.toHexString(a[j] & 0xff));
            }
        }
    }

    /** Returns the index of the first field {@code name}, from the parser's record when there is one. */
    private static int first(HttpHeaders h, String name, int[] first, int slot) {
        return first == null ? h.indexOf(name, 0) : first[slot];
    }

    /** Returns the index of the next field {@code name} after {@code i}, searched only when there are several. */
    private static int next(HttpHeaders h, String name, int i, boolean several) {
        return several ? h.indexOf(name, i + 1) : -1;
    }

    /** Returns the Content-Length, or -1 when absent; {@code seen} and {@code first} as for {@link #request}. */
    private static long contentLength(HttpHeaders h, int seen, int[] first) {
        long result = -1;
        boolean several = (seen & FramingFields.MANY_LENGTHS) != 0;
        for (int i = first(h, "Content-Length", first, FramingFields.LENGTH_SLOT);
                i >= 0;
                i = next(h, "Content-Length", i, several)) {
            byte[] a = Http1FieldWriter.valueArray(h, i);
            long bounds = Http1FieldWriter.valueBounds(h, i);
            int s = (int) (bounds >>> 32);
            int n = (int) bounds - s;
            if (n == 0 || n > 19) {
                throw new InvalidContentLengthException(
                        n == 0 ? "empty Content-Length" : "Content-Length of " + n + " digits overflows");
            }
            long v = 0;
            for (int j = 0; j < n; j++) {
                int c = a[s + j];
                if (c < '0' || c > '9') {
                    throw new InvalidContentLengthException("Content-Length is not plain digits");
                }
                v = v * 10 + (c - '0');
                if (v < 0) {
                    throw new InvalidContentLengthException("Content-Length overflows a 64-bit integer");
                }
            }
            if (result >= 0 && v != result) {
                throw new InvalidContentLengthException("Content-Length " + v + " differs from " + result);
            }
            result = v;
        }
        return result;
    }

    /**
     * Whether the final transfer coding is chunked; throws for chunked applied twice, an empty list, a malformed
     * coding, and (in requests) an unregistered one.
     */
    private static boolean chunkedIsFinal(HttpHeaders h, boolean request, int seen, int[] first) {
        int chunked = 0;
        int codings = 0;
        boolean lastIsChunked = false;
        boolean unknown = false;
        boolean several = (seen & FramingFields.MANY_CODINGS) != 0;
        for (int i = first(h, "Transfer-Encoding", first, FramingFields.CODING_SLOT);
                i >= 0;
                i = next(h, "Transfer-Encoding", i, several)) {
            byte[] a = Http1FieldWriter.valueArray(h, i);
            long bounds = Http1FieldWriter.valueBounds(h, i);
            int n = (int) bounds;
            int start = (int) (bounds >>> 32);
            while (start <= n) {
                int end = start;
                while (end < n && a[end] != ',') {
                    end++;
                }
                int s = start;
                int e = end;
                while (s < e && HttpChars.isOws(a[s])) {
                    s++;
                }
                while (e > s && HttpChars.isOws(a[e - 1])) {
                    e--;
                }
                if (s == e) {
                    if (end == n) {
                        lastIsChunked = false;
                    }
                } else {
                    int known = codingIndex(a, s, e);
                    codings++;
                    lastIsChunked = known == 0;
                    if (known == 0) {
                        chunked++;
                    } else if (known < 0) {
                        unknown = true;
                    }
                }
                start = end + 1;
            }
        }
        if (codings == 0) {
            throw new InvalidTransferEncodingException("empty Transfer-Encoding");
        }
        if (chunked > 1) {
            throw new InvalidTransferEncodingException("chunked applied more than once");
        }
        if (request && lastIsChunked && unknown) {
            throw new UnsupportedTransferCodingException("unregistered transfer coding in a request");
        }
        return lastIsChunked;
    }

    /** Returns the index in {@link #KNOWN_CODINGS} of the coding in {@code a[s, e)}, or -1; checks the syntax. */
    private static int codingIndex(byte[] a, int s, int e) {
        int nameEnd = s;
        while (nameEnd < e && HttpChars.isToken(a[nameEnd])) {
            nameEnd++;
        }
        if (nameEnd == s) {
            throw new InvalidTransferEncodingException("malformed transfer coding");
        }
        int p = nameEnd;
        while (p < e && HttpChars.isOws(a[p])) {
            p++;
        }
        if (p < e && a[p] != ';') {
            throw new InvalidTransferEncodingException("malformed transfer coding");
        }
        boolean params = p < e;
        for (int k = 0; k < KNOWN_CODINGS.length; k++) {
            String c = KNOWN_CODINGS[k];
            if (c.length() == nameEnd - s && HttpChars.equalsIgnoreCase(a, s, nameEnd - s, c)) {
                if (k == 0 && params) {
                    throw new InvalidTransferEncodingException("chunked takes no parameters");
                }
                return k;
            }
        }
        return -1;
    }
}
