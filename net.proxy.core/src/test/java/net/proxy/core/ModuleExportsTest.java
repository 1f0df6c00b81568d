package net.proxy.core;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleExportsTest {

    @Test
    void exportsExactlyTheApiPackages() {
        Module m = ProxyError.class.getModule();
        assertTrue(m.isNamed(), "tests must run on the module path");
        assertEquals(
                Set.of("net.proxy.core", "net.proxy.core.grpcweb"),
                m.getDescriptor().exports().stream()
                        .map(ModuleDescriptor.Exports::source)
                        .collect(toSet()));
    }
}
