package net.proxy.samples;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small command-line parser for the samples: {@code --name value} options (repeatable) and
 * {@code --flag} switches.
 */
public final class Args {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Args() {}

    /**
     * Parses arguments.
     *
     * @param args the arguments
     * @param flags option names that take no value (without {@code --})
     * @param options option names that take a value (without {@code --})
     * @return the parsed arguments
     * @throws UsageException on an unknown option or a missing value
     */
    public static Args parse(String[] args, Set<String> flags, Set<String> options) {
        Args a = new Args();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument " + arg);
            }
            String name = arg.substring(2);
            if (flags.contains(name)) {
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (options.contains(name)) {
                if (i + 1 >= args.length) {
                    throw new UsageException("missing value for " + arg);
                }
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(args[++i]);
            } else {
                throw new UsageException("unknown option " + arg);
            }
        }
        return a;
    }

    /**
     * Returns every value of a repeatable option.
     *
     * @param name the option name
     * @return the values, possibly empty
     */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /**
     * Returns the value of an option, or a default.
     *
     * @param name the option name
     * @param otherwise the default, or {@code null} to make it required
     * @return the last value given
     * @throws UsageException if required and missing
     */
    public String get(String name, String otherwise) {
        List<String> v = all(name);
        if (v.isEmpty()) {
            if (otherwise == null) {
                throw new UsageException("--" + name + " is required");
            }
            return otherwise;
        }
        return v.get(v.size() - 1);
    }

    /**
     * Returns the value of an optional option.
     *
     * @param name the option name
     * @return the last value given, or {@code null} if none
     */
    public String optional(String name) {
        List<String> v = all(name);
        return v.isEmpty() ? null : v.get(v.size() - 1);
    }

    /**
     * Tells whether a flag was given.
     *
     * @param name the flag name
     * @return {@code true} if present
     */
    public boolean flag(String name) {
        return values.containsKey(name);
    }

    /**
     * Parses {@code HOST:PORT} or {@code [IPV6]:PORT}.
     *
     * @param text the address
     * @return the address (resolved)
     * @throws UsageException if malformed
     */
    public static InetSocketAddress hostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException("expected HOST:PORT, got " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new InetSocketAddress(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new UsageException("expected HOST:PORT, got " + text);
        }
    }

    /** A command-line mistake; the launcher prints it with the sample's usage. */
    public static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what is wrong
         */
        public UsageException(String message) {
            super(message);
        }
    }
}
