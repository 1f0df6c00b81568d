package net.proxy.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An ordered, multi-valued header map with case-insensitive lookup that keeps each field's original name case
 * and position, so a proxy forwards what it does not touch byte for byte.
 *
 * <p>A map parsed from the wire refers to the received bytes and turns a name or value into a {@code String}
 * only when asked; serializing an untouched field copies its bytes. {@link #copy()} is O(1): copies share
 * their arrays until one of them is modified (copy-on-write). Not safe for concurrent modification.
 *
 * <pre>{@code
 * HttpHeaders h = HttpHeaders.create().add("Accept", "*&#47;*").add("X-Trace", "1");
 * h.set("x-trace", "2");                  // replaces in place, now spelled "x-trace"
 * String accept = h.get("ACCEPT");        // "*&#47;*"
 * }</pre>
 *
 * <p>Names must be tokens and values may not contain NUL, CR, LF or other control characters except HTAB:
 * {@link #add} and {@link #set} throw {@link IllegalArgumentException} otherwise, so no header injection can
 * pass through this type.
 */
public final class HttpHeaders {
    private static final int[] NO_SPANS = new int[0];

    /** The received head, or null. */
    private final byte[] block;
    /** Per field: name offset (-1 when the field is held as strings), name length, value offset, value length. */
    private int[] spans;
    private String[] names;
    private String[] values;
    private int size;
    private boolean shared;

    HttpHeaders(byte[] block, int[] spans, int size) {
        this.block = block;
        this.spans = spans;
        this.size = size;
    }

    private HttpHeaders(HttpHeaders from) {
        this.block = from.block;
        this.spans = from.spans;
        this.names = from.names;
        this.values = from.values;
        this.size = from.size;
        this.shared = true;
        from.shared = true;
    }

    /**
     * Creates an empty map.
     *
     * @return a new map
     */
    public static HttpHeaders create() {
        return new HttpHeaders(null, NO_SPANS, 0);
    }

    /**
     * Creates a map from alternating names and values, e.g. {@code of("Host", "a", "Accept", "*&#47;*")}.
     *
     * @param namesAndValues name, value, name, value...
     * @return a new map
     * @throws IllegalArgumentException if the count is odd or a field is invalid
     */
    public static HttpHeaders of(String... namesAndValues) {
        if ((namesAndValues.length & 1) != 0) {
            throw new IllegalArgumentException("namesAndValues: " + namesAndValues.length + " strings (expected: even)");
        }
        HttpHeaders h = create();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            h.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return h;
    }

    /**
     * Returns a copy in O(1); later changes to either map do not affect the other.
     *
     * @return the copy
     */
    public HttpHeaders copy() {
        return new HttpHeaders(this);
    }

    /**
     * Returns the number of field lines.
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    /**
     * Returns whether there are no fields.
     *
     * @return {@code true} if empty
     */
    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Returns the name of the field at {@code index}, in its original case.
     *
     * @param index 0 to {@code size() - 1}, in wire order
     * @return the name
     */
    public String name(int index) {
        Objects.checkIndex(index, size);
        if (names == null) {
            names = new String[spans.length >> 2];
        }
        String s = names[index];
        if (s == null) {
            int k = index << 2;
            s = new String(block, spans[k], spans[k + 1], StandardCharsets.ISO_8859_1);
            names[index] = s;
        }
        return s;
    }

    /**
     * Returns the value of the field at {@code index}, without surrounding whitespace.
     *
     * @param index 0 to {@code size() - 1}, in wire order
     * @return the value (ISO-8859-1 decoded)
     */
    public String value(int index) {
        Objects.checkIndex(index, size);
        if (values == null) {
            values = new String[spans.length >> 2];
        }
        String s = values[index];
        if (s == null) {
            int k = index << 2;
            s = new String(block, spans[k + 2], spans[k + 3], StandardCharsets.ISO_8859_1);
            values[index] = s;
        }
        return s;
    }

    /**
     * Returns the index of the first field named {@code name} (ignoring case) at or after {@code from}, or -1.
     *
     * @param name the field name
     * @param from the index to start at
     * @return the index or -1
     */
    public int indexOf(String name, int from) {
        for (int i = Math.max(from, 0); i < size; i++) {
            if (nameIs(i, name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Returns the first value of {@code name} (ignoring case), or {@code null}.
     *
     * @param name the field name
     * @return the value or null
     */
    public String get(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : value(i);
    }

    /**
     * Returns every value of {@code name} (ignoring case) in wire order.
     *
     * @param name the field name
     * @return the values, possibly empty
     */
    public List<String> getAll(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            out.add(value(i));
        }
        return out;
    }

    /**
     * Returns whether a field named {@code name} exists (ignoring case).
     *
     * @param name the field name
     * @return {@code true} if present
     */
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /**
     * Returns whether any {@code name} field, read as a comma-separated list, has the element {@code token}
     * (ignoring case and surrounding whitespace), e.g. {@code containsToken("Connection", "close")}.
     *
     * @param name the field name
     * @param token the list element
     * @return {@code true} if found
     */
    public boolean containsToken(String name, String token) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            String v = value(i);
            int start = 0;
            while (start <= v.length()) {
                int comma = v.indexOf(',', start);
                int end = comma < 0 ? v.length() : comma;
                int s = start;
                int e = end;
                while (s < e && HttpChars.isOws(v.charAt(s))) {
                    s++;
                }
                while (e > s && HttpChars.isOws(v.charAt(e - 1))) {
                    e--;
                }
                if (e - s == token.length() && v.regionMatches(true, s, token, 0, e - s)) {
                    return true;
                }
                start = end + 1;
            }
        }
        return false;
    }

    /**
     * Appends a field after all others.
     *
     * @param name a token, kept in this case on the wire
     * @param value the value
     * @return this map
     * @throws IllegalArgumentException if the name is not a token or the value holds a forbidden character
     */
    public HttpHeaders add(String name, String value) {
        HttpChars.checkField(name, value);
        unshare();
        materializeAll();
        int k = size << 2;
        if (k == spans.length) {
            int capacity = Math.max(8, size * 2);
            spans = Arrays.copyOf(spans, capacity << 2);
            names = Arrays.copyOf(names, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        spans[k] = -1;
        names[size] = name;
        values[size] = value;
        size++;
        return this;
    }

    /**
     * Sets {@code name} to one value: the first such field keeps its position and takes the new name case and
     * value, later ones are removed; if absent, the field is appended.
     *
     * @param name a token
     * @param value the value
     * @return this map
     * @throws IllegalArgumentException if the name is not a token or the value holds a forbidden character
     */
    public HttpHeaders set(String name, String value) {
        HttpChars.checkField(name, value);
        int i = indexOf(name, 0);
        if (i < 0) {
            return add(name, value);
        }
        unshare();
        materializeAll();
        spans[i << 2] = -1;
        names[i] = name;
        values[i] = value;
        removeFrom(name, i + 1);
        return this;
    }

    /**
     * Removes every field named {@code name} (ignoring case).
     *
     * @param name the field name
     * @return whether anything was removed
     */
    public boolean remove(String name) {
        int i = indexOf(name, 0);
        if (i < 0) {
            return false;
        }
        unshare();
        removeFrom(name, i);
        return true;
    }

    /**
     * Calls {@code action} with each name (original case) and value, in wire order.
     *
     * @param action the consumer
     */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(name(i), value(i));
        }
    }

    private void removeFrom(String name, int from) {
        int w = from;
        for (int r = from; r < size; r++) {
            if (nameIs(r, name)) {
                continue;
            }
            if (w != r) {
                System.arraycopy(spans, r << 2, spans, w << 2, 4);
                if (names != null) {
                    names[w] = names[r];
                }
                if (values != null) {
                    values[w] = values[r];
                }
            }
            w++;
        }
        for (int i = w; i < size; i++) {
            if (names != null) {
                names[i] = null;
            }
            if (values != null) {
                values[i] = null;
            }
        }
        size = w;
    }

    private boolean nameIs(int i, String name) {
        int off = spans[i << 2];
        if (off < 0) {
            return names[i].equalsIgnoreCase(name);
        }
        return HttpChars.equalsIgnoreCase(block, off, spans[(i << 2) + 1], name);
    }

    private void unshare() {
        if (shared) {
            spans = spans.clone();
            names = names == null ? null : names.clone();
            values = values == null ? null : values.clone();
            shared = false;
        }
    }

    private void materializeAll() {
        if (names == null) {
            names = new String[spans.length >> 2];
        }
        if (values == null) {
            values = new String[spans.length >> 2];
        }
    }

    /** Returns the length of the value at {@code index} in bytes (= characters). */
    int valueLength(int index) {
        int k = index << 2;
        return spans[k] < 0 ? values[index].length() : spans[k + 3];
    }

    /** Returns byte {@code j} of the value at {@code index}, 0..255. */
    int valueByte(int index, int j) {
        int k = index << 2;
        return spans[k] < 0 ? values[index].charAt(j) : block[spans[k + 2] + j] & 0xff;
    }

    /** Returns how many bytes {@link #write} produces: {@code name: value\r\n} per field. */
    int wireLength() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            int k = i << 2;
            if (spans[k] < 0) {
                n += names[i].length() + values[i].length() + 4;
            } else {
                n += spans[k + 1] + spans[k + 3] + 4;
            }
        }
        return n;
    }

    /** Writes every field as {@code name: value\r\n} at {@code pos}; returns the new position. */
    int write(byte[] dst, int pos) {
        for (int i = 0; i < size; i++) {
            int k = i << 2;
            if (spans[k] < 0) {
                pos = HttpChars.writeAscii(names[i], dst, pos);
                dst[pos++] = ':';
                dst[pos++] = ' ';
                pos = HttpChars.writeAscii(values[i], dst, pos);
            } else {
                System.arraycopy(block, spans[k], dst, pos, spans[k + 1]);
                pos += spans[k + 1];
                dst[pos++] = ':';
                dst[pos++] = ' ';
                System.arraycopy(block, spans[k + 2], dst, pos, spans[k + 3]);
                pos += spans[k + 3];
            }
            dst[pos++] = '\r';
            dst[pos++] = '\n';
        }
        return pos;
    }

    /**
     * Returns the fields as {@code [Name: value, ...]}.
     *
     * @return a debug string
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append(name(i)).append(": ").append(value(i));
        }
        return sb.append(']').toString();
    }
}
