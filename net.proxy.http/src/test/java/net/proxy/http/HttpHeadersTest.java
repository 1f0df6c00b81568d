package net.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpHeadersTest {

    @Test
    void keepsOrderCaseAndMultipleValues() {
        HttpHeaders h = HttpHeaders.of("Accept", "a", "X-Id", "1", "accept", "b");
        assertEquals(List.of("a", "b"), h.getAll("ACCEPT"));
        assertEquals("accept", h.name(2));
        List<String> seen = new ArrayList<>();
        h.forEach((n, v) -> seen.add(n + "=" + v));
        assertEquals(List.of("Accept=a", "X-Id=1", "accept=b"), seen);
    }

    @Test
    void setReplacesTheFirstInPlaceWithTheNewCaseAndDropsTheRest() {
        HttpHeaders h = HttpHeaders.of("A", "1", "B", "2", "a", "3");
        h.set("a", "9");
        assertEquals("[a: 9, B: 2]", h.toString());
        h.set("C", "4");
        assertEquals("C", h.name(2));
    }

    @Test
    void removeDropsEveryMatchingField() {
        HttpHeaders h = HttpHeaders.of("A", "1", "B", "2", "a", "3");
        assertTrue(h.remove("A"));
        assertFalse(h.remove("A"));
        assertEquals("[B: 2]", h.toString());
        assertNull(h.get("a"));
    }

    @Test
    void removeAllDropsEveryNamedFieldInOnePassOnParsedAndBuiltMaps() {
        RequestHeader req = Wire.request("GET / HTTP/1.1\r\nHost: a\r\nConnection: x-c\r\nTE: trailers\r\n"
                + "X-C: 1\r\nKeep-Alive: 5\r\nTEx: kept\r\nconnection: close\r\n\r\n");
        HttpHeaders parsed = req.headers();
        HttpHeaders copy = parsed.copy();
        assertEquals(5, parsed.removeAll("connection", "te", "KEEP-ALIVE", "x-c"));
        assertEquals("[Host: a, TEx: kept]", parsed.toString());
        assertEquals(7, copy.size(), "a copy is untouched");
        assertEquals(0, parsed.removeAll("Upgrade", "T"));
        HttpHeaders built = HttpHeaders.of("A", "1", "Bb", "2", "a", "3", "C", "4");
        assertEquals(2, built.removeAll("a"));
        assertEquals("[Bb: 2, C: 4]", built.toString());
        built.add("Trailer", "x");
        assertEquals(1, built.removeAll("b", "trailer"));
        assertEquals("[Bb: 2, C: 4]", built.toString());
    }

    @Test
    void removingFromAParsedMapNeverCopiedKeepsTheRestUsableAndSerializable() {
        RequestHeader req = Wire.request("GET / HTTP/1.1\r\nConnection: keep-alive\r\nHost: a\r\n"
                + "X-A:  1 \r\nUpgrade: h2c\r\nX-B: 2\r\n\r\n");
        HttpHeaders h = req.headers();
        assertEquals("a", h.get("host"));
        assertEquals(2, h.removeAll("Connection", "Upgrade"));
        assertEquals("[Host: a, X-A: 1, X-B: 2]", h.toString());
        assertEquals("a", h.value(0), "the value the parser shared still belongs to its field");
        assertEquals("1", h.value(1));
        assertEquals(
                "GET / HTTP/1.1\r\nHost: a\r\nX-A:  1 \r\nX-B: 2\r\n\r\n",
                Wire.text(Http1Serializer.toBytes(req)),
                "untouched lines leave as received");
        h.set("x-b", "3").add("X-C", "4");
        assertEquals(1, h.removeAll("host"));
        assertEquals("[X-A: 1, x-b: 3, X-C: 4]", h.toString());
    }

    @Test
    void comparesAValueIgnoringCaseWithoutAString() {
        HttpHeaders h = Wire.request("GET / HTTP/1.1\r\nHost: a\r\nConnection:  Keep-Alive \r\n\r\n")
                .headers();
        assertTrue(h.valueEqualsIgnoreCase(1, "keep-alive"));
        assertFalse(h.valueEqualsIgnoreCase(1, "keep-aliv"));
        assertFalse(h.valueEqualsIgnoreCase(1, "close"));
        assertTrue(h.valueEqualsIgnoreCase(0, "A"));
        h.set("Connection", "Close");
        assertTrue(h.valueEqualsIgnoreCase(1, "close"));
        assertThrows(IndexOutOfBoundsException.class, () -> h.valueEqualsIgnoreCase(2, "x"));
    }

    @Test
    void copiesAreIndependentAndShareUntilWritten() {
        RequestHeader req = Wire.request("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n\r\n");
        HttpHeaders original = req.headers();
        HttpHeaders copy = original.copy();
        copy.add("X-B", "2");
        copy.set("x-a", "changed");
        original.remove("host");
        assertEquals("[X-A: 1]", original.toString());
        assertEquals("[Host: a, x-a: changed, X-B: 2]", copy.toString());
        RequestHeader reqCopy = req.copy();
        reqCopy.method("POST").headers().add("Y", "y");
        assertEquals("GET", req.method());
        assertFalse(req.headers().contains("y"));
    }

    @Test
    void findsCommaSeparatedTokens() {
        HttpHeaders h = HttpHeaders.of("Connection", "keep-alive, Upgrade", "Connection", " x-hop ");
        assertTrue(h.containsToken("connection", "upgrade"));
        assertTrue(h.containsToken("connection", "X-Hop"));
        assertFalse(h.containsToken("connection", "keep"));
    }

    @Test
    void refusesFieldsThatWouldInjectHeaders() {
        HttpHeaders h = HttpHeaders.create();
        assertThrows(IllegalArgumentException.class, () -> h.add("X", "a\r\nInjected: 1"));
        assertThrows(IllegalArgumentException.class, () -> h.add("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> h.add("", "v"));
        assertThrows(IllegalArgumentException.class, () -> h.set("X", "\u0000"));
        assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("odd"));
        assertEquals(0, h.size());
    }

    @Test
    void validatesLimitsEagerlyWithTheStandardMessage() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> HttpLimits.builder().maxHeaderCount(0));
        assertEquals("maxHeaderCount: 0 (expected: >= 1)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HttpLimits.builder().maxBodySize(-1));
        assertEquals(256, HttpLimits.defaults().maxHeaderCount());
        assertEquals(1_048_575, HttpLimits.defaults().maxHeadSize());
    }
}
