package net.proxy.limits;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleExportsTest {

    @Test
    void exportsOnlyTheApiPackageAndNeedsOnlyJavaBase() {
        Module module = CountMinSketch.class.getModule();
        assertTrue(module.isNamed(), "tests must run on the module path");
        ModuleDescriptor descriptor = module.getDescriptor();
        assertEquals(
                Set.of("net.proxy.limits"),
                descriptor.exports().stream()
                        .map(ModuleDescriptor.Exports::source)
                        .collect(toSet()));
        assertEquals(
                Set.of("java.base"),
                descriptor.requires().stream()
                        .map(ModuleDescriptor.Requires::name)
                        .collect(toSet()));
    }
}
