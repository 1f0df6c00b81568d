package net.proxy.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The reactor's version bookkeeping: every published module is in net.proxy.bom at the version its own
 * pom declares, and the parent's dependency management agrees. (Lives here because testkit is the one
 * module every build runs that is not itself published.)
 */
class BomConsistencyTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Reactor modules that are not published libraries. */
    private static final Set<String> UNPUBLISHED = Set.of("bom", "testkit", "bench");

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern MANAGED = Pattern.compile(
            "<groupId>net\\.proxy</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>");
    private static final Pattern OWN = Pattern.compile(
            "</parent>.*?<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>", Pattern.DOTALL);

    @Test
    void bomListsEveryPublishedModuleAtItsOwnVersion() throws IOException {
        Map<String, String> declared = new TreeMap<>();
        Matcher modules = MODULE.matcher(read(ROOT.resolve("pom.xml")));
        while (modules.find()) {
            String folder = modules.group(1);
            if (!UNPUBLISHED.contains(folder)) {
                Matcher own = OWN.matcher(read(ROOT.resolve(folder).resolve("pom.xml")));
                assertTrue(own.find(), folder + "/pom.xml declares no artifactId and version of its own");
                declared.put(own.group(1), own.group(2));
            }
        }
        assertFalse(declared.isEmpty(), "no published modules found under " + ROOT);
        assertEquals(declared, managed(ROOT.resolve("bom/pom.xml")), "net.proxy.bom");
    }

    @Test
    void parentManagesTheSameVersionsAsTheBom() throws IOException {
        Map<String, String> parent = managed(ROOT.resolve("pom.xml"));
        managed(ROOT.resolve("bom/pom.xml"))
                .forEach((artifact, version) ->
                        assertEquals(version, parent.get(artifact), "parent pom's managed version of " + artifact));
    }

    private static Map<String, String> managed(Path pom) throws IOException {
        Map<String, String> versions = new TreeMap<>();
        Matcher m = MANAGED.matcher(read(pom));
        while (m.find()) {
            if (!m.group(1).equals("net.proxy.bom") && !m.group(1).equals("net.proxy.testkit")) {
                versions.put(m.group(1), m.group(2));
            }
        }
        return versions;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
