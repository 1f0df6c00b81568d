package net.proxy.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The selection algorithms, the load balancer and the SPI (packages {@code net.proxy.lb} and {@code net.proxy.lb.spi})
 * need nothing beyond {@code java.base} and {@code net.proxy.ketama}: every type their compiled classes name (in the
 * constant pool: class references, field and method descriptors, generic signatures) must be in a package of
 * {@code java.base}, of {@code net.proxy.ketama}, or one of those two packages. An import of Netty, net.proxy.l4,
 * net.proxy.http or the {@code health} package there fails this test.
 */
class AlgorithmDependenciesTest {
    private static final Set<String> PURE = Set.of("net/proxy/lb", "net/proxy/lb/spi");
    /** A type in a descriptor or signature: {@code Lpkg/Name;} or {@code Lpkg/Name<}. */
    private static final Pattern DESCRIBED = Pattern.compile("L([A-Za-z_$][\\w$]*(?:/[A-Za-z_$][\\w$]*)+)[;<]");

    @Test
    void algorithmPackagesNeedOnlyJavaBaseAndKetama() throws Exception {
        Set<String> allowed = new HashSet<>(PURE);
        allowed.add("net/proxy/ketama");
        for (String p : Object.class.getModule().getPackages()) {
            allowed.add(p.replace('.', '/'));
        }
        Map<String, Set<String>> violations = new TreeMap<>();
        Map<String, byte[]> classes = mainClasses(PURE);
        for (String algorithm : List.of(
                "SmoothWeightedRoundRobin",
                "WeightedRandom",
                "FnvHash",
                "KetamaSelection",
                "PowerOfTwoChoices",
                "LoadBalancer",
                "spi/Selector")) {
            assertTrue(
                    classes.containsKey("net/proxy/lb/" + algorithm), algorithm + " not found in " + classes.keySet());
        }
        classes.forEach((name, bytes) -> {
            for (String type : referencedTypes(bytes)) {
                String pkg = type.lastIndexOf('/') < 0 ? "" : type.substring(0, type.lastIndexOf('/'));
                if (!allowed.contains(pkg)) {
                    violations.computeIfAbsent(name, k -> new TreeSet<>()).add(type);
                }
            }
        });
        assertEquals(Map.of(), violations, "types outside java.base and net.proxy.ketama");
    }

    @Test
    void theScanSeesWhatAClassNames() throws Exception {
        Map<String, byte[]> health = mainClasses(Set.of("net/proxy/lb/health"));
        Set<String> reader = referencedTypes(health.get("net/proxy/lb/health/ResponseHeadReader"));
        assertTrue(reader.contains("io/netty/buffer/ByteBuf"), reader.toString());
        assertTrue(reader.contains("net/proxy/http/Http1ResponseParser"), reader.toString());
        Set<String> builder = referencedTypes(health.get("net/proxy/lb/health/HealthCheckBuilder"));
        assertTrue(builder.contains("net/proxy/l4/Peer"), "a type only in a generic signature: " + builder);
        Set<String> ketama = referencedTypes(mainClasses(PURE).get("net/proxy/lb/KetamaSelection"));
        assertTrue(ketama.contains("net/proxy/ketama/Continuum"), ketama.toString());
        assertTrue(ketama.contains("net/proxy/lb/spi/Selector"), ketama.toString());
    }

    /** The module's own compiled classes (not the tests') in {@code packages}, by internal name. */
    private static Map<String, byte[]> mainClasses(Set<String> packages) throws IOException, URISyntaxException {
        Path location = Path.of(Backend.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Map<String, byte[]> out = new TreeMap<>();
        if (Files.isDirectory(location)) {
            collect(location, packages, out);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                collect(jar.getPath("/"), packages, out);
            }
        }
        return out;
    }

    private static void collect(Path root, Set<String> packages, Map<String, byte[]> out) throws IOException {
        for (String pkg : packages) {
            Path dir = root.resolve(pkg);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String file = f.getFileName().toString();
                    if (file.endsWith(".class") && !file.equals("module-info.class")) {
                        out.put(
                                pkg + "/" + file.substring(0, file.length() - ".class".length()),
                                Files.readAllBytes(f));
                    }
                }
            }
        }
    }

    /**
     * The internal names of the types a class file names: its class constants (arrays unwrapped) and every
     * {@code L...;} in its UTF-8 constants (descriptors and generic signatures).
     */
    static Set<String> referencedTypes(byte[] classFile) {
        Set<String> types = new TreeSet<>();
        List<String> utf8 = new ArrayList<>();
        List<Integer> classNames = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IllegalArgumentException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            String[] strings = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> {
                        strings[i] = in.readUTF();
                        utf8.add(strings[i]);
                    }
                    case 7 -> classNames.add(in.readUnsignedShort());
                    case 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++;
                    }
                    default -> throw new IllegalArgumentException("constant pool tag " + tag);
                }
            }
            for (int index : classNames) {
                String name = strings[index];
                if (name.startsWith("[")) {
                    Matcher m = DESCRIBED.matcher(name);
                    while (m.find()) {
                        types.add(m.group(1));
                    }
                } else {
                    types.add(name);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        for (String s : utf8) {
            Matcher m = DESCRIBED.matcher(s);
            while (m.find()) {
                types.add(m.group(1));
            }
        }
        return types;
    }
}
