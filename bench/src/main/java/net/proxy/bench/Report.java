package net.proxy.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a suite description ({@code bench/suites/SUITE.properties}) and the JMH CSV result of each round, and
 * prints our figures beside the peer's with their ratio; {@code bench/run} calls it. With several rounds (CSV
 * files) each row shows the median of the rounds, the range of the ratio and every round, and the headline is
 * the median of the rounds' ratios with their range. When the suite profiles with {@link CpuTimeProfiler}, the
 * table adds CPU ns per operation and their ratio (peer/ours).
 *
 * <p>Suite keys: {@code include} (JMH regex), {@code jmh} (extra JMH arguments), {@code main} (a class run
 * after JMH), {@code pair.NAME = Ours.method | Peer.method | peer label} (rows matched by their
 * {@code @Param} values) and {@code headline = NAME | k=v,... | what R measures [| cpu]}. The ratio R is
 * ours/peer for throughput modes and peer/ours for time modes, or with {@code cpu} peer/ours CPU time per
 * operation ({@link CpuTimeProfiler}), so R &gt; 1 always means we are better.
 *
 * <p>Usage: {@code Report get FILE KEY}, {@code Report table SUITE FILE CSV...}, {@code Report headline SUITE
 * FILE CSV...}.
 */
public final class Report {

    private static final String ALLOC = "gc.alloc.rate.norm";
    private static final String CPU = "cpu.time.norm";

    private Report() {}

    /**
     * Entry point; see the class description for the arguments.
     *
     * @param args the mode and its arguments
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("get")) {
            System.out.println(load(Path.of(args[1])).getProperty(args[2], "").trim());
            return;
        }
        if (args.length < 4 || !(args[0].equals("table") || args[0].equals("headline"))) {
            System.err.println("usage: Report get FILE KEY | Report (table|headline) SUITE FILE CSV...");
            System.exit(2);
        }
        Properties suite = load(Path.of(args[2]));
        List<List<Row>> rounds = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            rounds.add(readCsv(Path.of(args[i])));
        }
        if (args[0].equals("table")) {
            printTable(suite, rounds);
        } else {
            System.out.println(headline(args[1], suite, rounds));
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /** One JMH result line: benchmark (Class.method), secondary metric or "", mode, score, error, unit, params. */
    record Row(
            String benchmark,
            String metric,
            String mode,
            double score,
            double error,
            String unit,
            Map<String, String> params) {

        String paramText() {
            if (params.isEmpty()) {
                return "-";
            }
            StringBuilder sb = new StringBuilder();
            params.forEach((k, v) ->
                    sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
            return sb.toString();
        }
    }

    /** A pair of benchmarks compared row by row. */
    record Pair(String name, String ours, String peer, String label) {
        static Pair parse(String name, String value) {
            String[] parts = value.split("\\|");
            if (parts.length != 3) {
                throw new IllegalArgumentException(
                        "pair." + name + ": '" + value + "' (expected: Ours.method | Peer.method | peer label)");
            }
            return new Pair(name, parts[0].trim(), parts[1].trim(), parts[2].trim());
        }
    }

    static List<Row> readCsv(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<Row> rows = new ArrayList<>();
        if (lines.isEmpty()) {
            return rows;
        }
        List<String> header = splitCsv(lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = splitCsv(line);
            String full = cells.get(0);
            String metric = "";
            int colon = full.indexOf(':');
            if (colon >= 0) {
                metric = full.substring(colon + 1).replace("\u00b7", "");
                full = full.substring(0, colon);
            }
            String[] parts = full.split("\\.");
            String benchmark = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : full;
            Map<String, String> params = new TreeMap<>();
            for (int i = 7; i < cells.size() && i < header.size(); i++) {
                if (!cells.get(i).isEmpty()) {
                    params.put(header.get(i).replaceFirst("^Param: ", ""), cells.get(i));
                }
            }
            rows.add(new Row(
                    benchmark, metric, cells.get(1), parse(cells.get(4)), parse(cells.get(5)), cells.get(6), params));
        }
        return rows;
    }

    private static double parse(String s) {
        return s.isEmpty() || s.equals("NaN") ? Double.NaN : Double.parseDouble(s);
    }

    private static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    private static Map<String, Pair> pairs(Properties suite) {
        Map<String, Pair> pairs = new LinkedHashMap<>();
        suite.stringPropertyNames().stream()
                .filter(k -> k.startsWith("pair."))
                .sorted()
                .forEach(k -> pairs.put(k.substring(5), Pair.parse(k.substring(5), suite.getProperty(k))));
        return pairs;
    }

    /** One row's figures in one round: ours and the peer's score, allocation and CPU time per operation. */
    record Cells(
            double ours,
            double peer,
            double ratio,
            double oursAlloc,
            double peerAlloc,
            double oursCpu,
            double peerCpu) {

        static Cells of(List<Row> round, Pair pair, Row oursRow) {
            Row ours = match(round, pair.ours(), "", oursRow.params());
            Row peer = match(round, pair.peer(), "", oursRow.params());
            return new Cells(
                    ours == null ? Double.NaN : ours.score(),
                    peer == null ? Double.NaN : peer.score(),
                    ours == null || peer == null ? Double.NaN : Report.ratio(ours, peer),
                    score(match(round, pair.ours(), ALLOC, oursRow.params())),
                    score(match(round, pair.peer(), ALLOC, oursRow.params())),
                    score(match(round, pair.ours(), CPU, oursRow.params())),
                    score(match(round, pair.peer(), CPU, oursRow.params())));
        }

        /** The median of each figure over the rounds. */
        static Cells median(List<Cells> rounds) {
            return new Cells(
                    Report.median(rounds.stream().mapToDouble(Cells::ours).toArray()),
                    Report.median(rounds.stream().mapToDouble(Cells::peer).toArray()),
                    Report.median(rounds.stream().mapToDouble(Cells::ratio).toArray()),
                    Report.median(rounds.stream().mapToDouble(Cells::oursAlloc).toArray()),
                    Report.median(rounds.stream().mapToDouble(Cells::peerAlloc).toArray()),
                    Report.median(rounds.stream().mapToDouble(Cells::oursCpu).toArray()),
                    Report.median(rounds.stream().mapToDouble(Cells::peerCpu).toArray()));
        }

        /** Peer CPU time over ours: &gt; 1 when ours costs less CPU per operation. */
        double cpuRatio() {
            return peerCpu / oursCpu;
        }
    }

    private static void printTable(Properties suite, List<List<Row>> rounds) {
        List<Row> rows = rounds.get(0);
        boolean cpu = rows.stream().anyMatch(r -> r.metric().equals(CPU));
        String format = "  %-28s %14s %14s %-10s %8s %11s %11s" + (cpu ? " %11s %11s %9s" : "") + "%n";
        Set<String> paired = new LinkedHashSet<>();
        for (Pair pair : pairs(suite).values()) {
            paired.add(pair.ours());
            paired.add(pair.peer());
            System.out.printf(
                    Locale.ROOT, "%n%s: %s vs %s (%s)%n", pair.name(), pair.ours(), pair.peer(), pair.label());
            System.out.printf(
                    Locale.ROOT,
                    format,
                    "params",
                    "ours",
                    "peer",
                    "unit",
                    "ratio",
                    "ours B/op",
                    "peer B/op",
                    "ours CPU ns",
                    "peer CPU ns",
                    "CPU ratio");
            for (Row ours : primary(rows, pair.ours())) {
                List<Cells> perRound = rounds.stream()
                        .map(round -> Cells.of(round, pair, ours))
                        .toList();
                String label = ours.paramText();
                if (rounds.size() > 1) {
                    double[] ratios =
                            perRound.stream().mapToDouble(Cells::ratio).toArray();
                    label += " median";
                    printCells(format, label, ours.unit(), Cells.median(perRound));
                    System.out.printf(
                            Locale.ROOT,
                            "  %-28s ratio %s-%s over %d rounds%n",
                            "",
                            times(min(ratios)),
                            times(max(ratios)),
                            rounds.size());
                    for (int i = 0; i < perRound.size(); i++) {
                        printCells(format, "    round " + (i + 1), ours.unit(), perRound.get(i));
                    }
                } else {
                    printCells(format, label, ours.unit(), perRound.get(0));
                }
            }
        }
        List<Row> others = rows.stream()
                .filter(r -> r.metric().isEmpty() && !paired.contains(r.benchmark()))
                .toList();
        if (!others.isEmpty()) {
            System.out.printf(Locale.ROOT, "%nother results%n");
            for (Row r : others) {
                for (int i = 0; i < rounds.size(); i++) {
                    List<Row> round = rounds.get(i);
                    Row row = match(round, r.benchmark(), "", r.params());
                    Row alloc = match(round, r.benchmark(), ALLOC, r.params());
                    Row cpuTime = match(round, r.benchmark(), CPU, r.params());
                    System.out.printf(
                            Locale.ROOT,
                            "  %-36s %-28s %14s ± %-10s %-10s %s%s%n",
                            rounds.size() > 1 ? r.benchmark() + " (round " + (i + 1) + ")" : r.benchmark(),
                            r.paramText(),
                            row == null ? "-" : number(row.score()),
                            row == null ? "-" : number(row.error()),
                            r.unit(),
                            alloc == null ? "" : number(alloc.score()) + " B/op",
                            cpuTime == null ? "" : "  " + number(cpuTime.score()) + " CPU ns/op");
                }
            }
        }
    }

    private static void printCells(String format, String label, String unit, Cells c) {
        System.out.printf(
                Locale.ROOT,
                format,
                label,
                number(c.ours()),
                number(c.peer()),
                unit,
                times(c.ratio()),
                number(c.oursAlloc()),
                number(c.peerAlloc()),
                number(c.oursCpu()),
                number(c.peerCpu()),
                times(c.cpuRatio()));
    }

    private static String headline(String name, Properties suite, List<List<Row>> rounds) {
        String spec = suite.getProperty("headline");
        if (spec == null) {
            throw new IllegalArgumentException(name + ": the suite has no headline");
        }
        String[] parts = spec.split("\\|");
        boolean cpu = parts.length == 4 && parts[3].trim().equals("cpu");
        if (parts.length != 3 && !cpu) {
            throw new IllegalArgumentException(
                    "headline: '" + spec + "' (expected: pair | k=v,... | what R measures [| cpu])");
        }
        Pair pair = pairs(suite).get(parts[0].trim());
        if (pair == null) {
            throw new IllegalArgumentException("headline: no pair." + parts[0].trim() + " in the suite");
        }
        Map<String, String> wanted = new TreeMap<>();
        for (String kv : parts[1].trim().split(",")) {
            if (!kv.isBlank()) {
                String[] p = kv.split("=", 2);
                wanted.put(p[0].trim(), p[1].trim());
            }
        }
        double[] perRound = new double[rounds.size()];
        for (int i = 0; i < rounds.size(); i++) {
            perRound[i] = headlineRatio(name, pair, wanted, rounds.get(i), cpu);
        }
        String what = parts[2].trim();
        if (rounds.size() > 1) {
            what += String.format(
                    Locale.ROOT, "; median of %d rounds, %.2f-%.2f", rounds.size(), min(perRound), max(perRound));
        }
        return String.format(Locale.ROOT, "%s: ours/%s = %.2f (%s)", name, pair.label(), median(perRound), what);
    }

    /**
     * The geometric mean of the ratios of the rows matching {@code wanted} in one round: of their scores, or of
     * their CPU time per operation (peer/ours) when {@code cpu}.
     */
    private static double headlineRatio(
            String name, Pair pair, Map<String, String> wanted, List<Row> rows, boolean cpu) {
        double logSum = 0;
        int n = 0;
        for (Row ours : primary(rows, pair.ours())) {
            if (!ours.params().entrySet().containsAll(wanted.entrySet())) {
                continue;
            }
            Row peer = match(rows, pair.peer(), "", ours.params());
            if (cpu) {
                Row oursCpu = match(rows, pair.ours(), CPU, ours.params());
                Row peerCpu = match(rows, pair.peer(), CPU, ours.params());
                if (oursCpu != null && peerCpu != null) {
                    logSum += Math.log(peerCpu.score() / oursCpu.score());
                    n++;
                }
            } else if (peer != null) {
                logSum += Math.log(ratio(ours, peer));
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalStateException(
                    name + ": no result rows for the headline pair " + pair.name() + " with " + wanted);
        }
        return Math.exp(logSum / n);
    }

    private static double score(Row row) {
        return row == null ? Double.NaN : row.score();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private static List<Row> primary(List<Row> rows, String benchmark) {
        return rows.stream()
                .filter(r -> r.benchmark().equals(benchmark) && r.metric().isEmpty())
                .toList();
    }

    private static Row match(List<Row> rows, String benchmark, String metric, Map<String, String> params) {
        return rows.stream()
                .filter(r -> r.benchmark().equals(benchmark)
                        && r.metric().equals(metric)
                        && r.params().equals(params))
                .findFirst()
                .orElse(null);
    }

    /** R &gt; 1 means ours is better: ours/peer for throughput, peer/ours for time per operation. */
    private static double ratio(Row ours, Row peer) {
        return ours.mode().equals("thrpt") ? ours.score() / peer.score() : peer.score() / ours.score();
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        double a = Math.abs(v);
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 1 ? "%.2f" : "%.4f", v);
    }
}
