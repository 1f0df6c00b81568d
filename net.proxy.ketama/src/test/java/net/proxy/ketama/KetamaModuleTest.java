package net.proxy.ketama;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KetamaModuleTest {

    @Test
    void exportsOnlyItsApiPackageAndRequiresOnlyJavaBase() {
        Module module = Continuum.class.getModule();
        assertTrue(module.isNamed(), "tests run on the module path");
        assertEquals("net.proxy.ketama", module.getName());
        ModuleDescriptor descriptor = module.getDescriptor();
        assertEquals(
                Set.of("net.proxy.ketama"),
                descriptor.exports().stream()
                        .map(ModuleDescriptor.Exports::source)
                        .collect(toSet()));
        assertTrue(descriptor.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
        assertEquals(
                Set.of("java.base"),
                descriptor.requires().stream()
                        .map(ModuleDescriptor.Requires::name)
                        .collect(toSet()));
    }
}
