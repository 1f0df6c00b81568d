package net.proxy.lru;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LruModuleTest {

    @Test
    void exportsOnlyTheApiPackage() {
        Module module = TinyUfo.class.getModule();
        assertTrue(module.isNamed(), "tests must run on the module path");
        assertEquals(
                Set.of("net.proxy.lru"),
                module.getDescriptor().exports().stream()
                        .map(ModuleDescriptor.Exports::source)
                        .collect(toSet()));
    }

    @Test
    void needsOnlyJavaBase() {
        assertEquals(
                Set.of("java.base"),
                TinyUfo.class.getModule().getDescriptor().requires().stream()
                        .map(ModuleDescriptor.Requires::name)
                        .collect(toSet()));
    }
}
