package net.proxy.samples;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void exportsNothingAndRunsOnTheModulePath() {
        Module m = Main.class.getModule();
        assertTrue(m.isNamed());
        assertEquals(
                Set.of(),
                m.getDescriptor().exports().stream()
                        .map(ModuleDescriptor.Exports::source)
                        .collect(toSet()));
    }

    @Test
    void helpListsEverySample() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.help(new PrintStream(out, true, StandardCharsets.UTF_8));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String name : Main.SAMPLES.keySet()) {
            assertTrue(help.contains("  " + name + " "), name + " missing from:\n" + help);
        }
        assertTrue(Main.SAMPLES.keySet().containsAll(Set.of("tls-echo", "tcp-proxy", "virtual-l4")));
    }
}
