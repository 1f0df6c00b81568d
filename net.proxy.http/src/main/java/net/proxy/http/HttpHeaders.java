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
 * <p>A map parsed from the wire keeps only the offset of each field line in the received bytes and turns a name
 * or value into a {@code String} only when asked (a new one each time, except a Host value that the parser
 * shares between the requests of a connection); serializing an untouched field copies its bytes. {@link #copy()} is O(1): copies share
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

    /** The received head, or null. */
    private final byte[] block;
    /**
     * The parser's compact line index, used until the first change: field {@code i}'s line offset is stored
     * little-endian in 2 bytes (3 when {@link #wide}) at {@code block[indexStart + i * width]}, right after the
     * head in the same array.
     */
    private final int indexStart;

    private final boolean wide;
    /** Per field: the offset of its line in {@link #block}, or -1 when held as strings; null while unchanged. */
    private int[] lines;
    /** Names and values of fields held as strings; null until the first change. */
    private String[] names;

    private String[] values;
    private int size;
    private boolean shared;
    /** The shared value string of the unchanged field {@code cachedIndex - 1} (set before publication); 0: none. */
    private String cached;

    private int cachedIndex;

    HttpHeaders(byte[] block, int[] lines, int size) {
        this(block, 0, false, lines, size);
    }

    /** Fields whose compact index starts at {@code block[indexStart]}. */
    HttpHeaders(byte[] block, int indexStart, boolean wide, int size) {
        this(block, indexStart, wide, null, size);
    }

    private HttpHeaders(byte[] block, int indexStart, boolean wide, int[] lines, int size) {
        this.block = block;
        this.indexStart = indexStart;
        this.wide = wide;
        this.lines = lines;
        this.size = size;
    }

    private HttpHeaders(HttpHeaders from) {
        this(from.block, from.indexStart, from.wide, from.lines, from.size);
        this.cached = from.cached;
        this.cachedIndex = from.cachedIndex;
        this.names = from.names;
        this.values = from.values;
        this.shared = true;
        from.shared = true;
    }

    /** The received head these fields were parsed from, or null. */
    byte[] block() {
        return block;
    }

    /** The offset in {@link #block} of field {@code i}'s line, or -1 when the field is held as strings. */
    int line(int i) {
        int[] l = lines;
        if (l != null) {
            return l[i];
        }
        return ReceivedLines.entry(block, indexStart + i * (wide ? 3 : 2), wide);
    }

    /** The name of field {@code i}, held as a string ({@link #line} is -1). */
    String storedName(int i) {
        return names[i];
    }

    /** The value of field {@code i}, held as a string ({@link #line} is -1). */
    String storedValue(int i) {
        return values[i];
    }

    /**
     * Creates an empty map.
     *
     * @return a new map
     */
    public static HttpHeaders create() {
        return new HttpHeaders(null, new int[0], 0);
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
            throw new IllegalArgumentException(
                    "namesAndValues: " + namesAndValues.length + " strings (expected: even)");
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
        int line = line(index);
        if (line < 0) {
            return names[index];
        }
        return new String(block, line, ReceivedLines.nameEnd(block, line) - line, StandardCharsets.ISO_8859_1);
    }

    /**
     * Returns the value of the field at {@code index}, without surrounding whitespace.
     *
     * @param index 0 to {@code size() - 1}, in wire order
     * @return the value (ISO-8859-1 decoded)
     */
    public String value(int index) {
        Objects.checkIndex(index, size);
        int line = line(index);
        if (line < 0) {
            return values[index];
        }
        if (cachedIndex == index + 1) {
            return cached;
        }
        int start = ReceivedLines.valueStart(block, line);
        return new String(block, start, ReceivedLines.valueEnd(block, start) - start, StandardCharsets.ISO_8859_1);
    }

    /** Whether the value of the unchanged field at {@code index} is exactly {@code bytes}. */
    boolean valueIs(int index, byte[] bytes) {
        int start = ReceivedLines.valueStart(block, line(index));
        return Arrays.equals(block, start, ReceivedLines.valueEnd(block, start), bytes, 0, bytes.length);
    }

    /**
     * Returns whether the value at {@code index} equals {@code expected}, ignoring ASCII case, without making a
     * string of it.
     *
     * @param index the field index
     * @param expected the value looked for
     * @return {@code true} if equal
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public boolean valueEqualsIgnoreCase(int index, String expected) {
        Objects.checkIndex(index, size);
        int line = line(index);
        if (line < 0 || cachedIndex == index + 1) {
            return value(index).equalsIgnoreCase(expected);
        }
        int start = ReceivedLines.valueStart(block, line);
        return ReceivedLines.valueEnd(block, start) - start == expected.length()
                && ReceivedLines.bytesAre(block, start, expected);
    }

    /** Makes {@link #value} of the unchanged field at {@code index} return {@code value}, its equal string. */
    String remember(int index, String value) {
        cached = value;
        cachedIndex = index + 1;
        return value;
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
            if (HttpChars.listHas(value(i), token)) {
                return true;
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
        writable();
        if (size == lines.length) {
            int capacity = Math.max(8, size * 2);
            lines = Arrays.copyOf(lines, capacity);
            names = names == null ? new String[capacity] : Arrays.copyOf(names, capacity);
            values = values == null ? new String[capacity] : Arrays.copyOf(values, capacity);
        } else if (names == null) {
            names = new String[lines.length];
            values = new String[lines.length];
        }
        lines[size] = -1;
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
        writable();
        if (names == null) {
            names = new String[lines.length];
            values = new String[lines.length];
        }
        lines[i] = -1;
        names[i] = name;
        values[i] = value;
        removeFrom(new String[] {name}, i + 1);
        return this;
    }

    /**
     * Removes every field named {@code name} (ignoring case).
     *
     * @param name the field name
     * @return whether anything was removed
     */
    public boolean remove(String name) {
        return removeAll(name) > 0;
    }

    /**
     * Removes every field whose name is one of {@code names} (ignoring case), in one pass over the fields: cheaper
     * than one {@link #remove} per name when several are looked for, such as the hop-by-hop fields a proxy drops.
     *
     * @param names the field names
     * @return how many fields were removed
     */
    public int removeAll(String... names) {
        int first = 0;
        while (first < size && !nameIn(first, names)) {
            first++;
        }
        if (first == size) {
            return 0;
        }
        int before = size;
        if (lines == null && !shared) {
            removeFromIndex(names, first);
        } else {
            writable();
            removeFrom(names, first);
        }
        return before - size;
    }

    /**
     * Drops the fields named one of {@code candidates} at or after {@code from} from the compact index itself,
     * which this map alone uses while unchanged and not copied: no expanded index is needed for a removal.
     */
    private void removeFromIndex(String[] candidates, int from) {
        cachedIndex = 0;
        cached = null;
        int width = wide ? 3 : 2;
        int w = from;
        for (int r = from; r < size; r++) {
            if (nameIn(r, candidates)) {
                continue;
            }
            if (w != r) {
                System.arraycopy(block, indexStart + r * width, block, indexStart + w * width, width);
            }
            w++;
        }
        size = w;
    }

    /** Whether field {@code i} is named one of {@code candidates}. */
    private boolean nameIn(int i, String[] candidates) {
        int line = line(i);
        if (line < 0) {
            String n = names[i];
            for (String c : candidates) {
                if (c.equalsIgnoreCase(n)) {
                    return true;
                }
            }
            return false;
        }
        return ReceivedLines.nameIn(block, line, candidates);
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

    /** Drops the fields named one of {@code candidates} at or after {@code from}; the map must be writable. */
    private void removeFrom(String[] candidates, int from) {
        int w = from;
        for (int r = from; r < size; r++) {
            if (nameIn(r, candidates)) {
                continue;
            }
            lines[w] = lines[r];
            if (names != null) {
                names[w] = names[r];
                values[w] = values[r];
            }
            w++;
        }
        if (names != null) {
            Arrays.fill(names, w, size, null);
            Arrays.fill(values, w, size, null);
        }
        size = w;
    }

    private boolean nameIs(int i, String name) {
        int line = line(i);
        return line < 0 ? names[i].equalsIgnoreCase(name) : ReceivedLines.nameIs(block, line, name);
    }

    /** Makes {@link #lines} (and the string arrays) private to this map, expanding the compact index. */
    private void writable() {
        cachedIndex = 0;
        cached = null;
        if (lines == null) {
            int[] expanded = new int[Math.max(size, 4)];
            for (int i = 0; i < size; i++) {
                expanded[i] = line(i);
            }
            lines = expanded;
        } else if (shared) {
            lines = lines.clone();
            names = names == null ? null : names.clone();
            values = values == null ? null : values.clone();
        }
        shared = false;
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
