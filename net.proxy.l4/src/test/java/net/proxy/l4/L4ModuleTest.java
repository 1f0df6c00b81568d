package net.proxy.l4;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import org.junit.jupiter.api.Test;

class L4ModuleTest {
    @Test
    void exportsOnlyApiAndSpi() {
        Module module = Listener.class.getModule();
        assertTrue(module.isNamed(), "tests must run on the module path");
        assertEquals(
                Set.of("net.proxy.l4", "net.proxy.l4.spi"),
                module.getDescriptor().exports().stream()
                        .map(ModuleDescriptor.Exports::source)
                        .collect(toSet()));
    }
}
