package net.proxy.http;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleExportsTest {

    @Test
    void exportsOnlyTheApiPackagesFromTheModulePath() {
        Module module = RequestHeader.class.getModule();
        assertTrue(module.isNamed(), "tests must run on the module path");
        assertEquals(
                Set.of("net.proxy.http", "net.proxy.http.netty", "net.proxy.http.h2"),
                module.getDescriptor().exports().stream()
                        .map(ModuleDescriptor.Exports::source)
                        .collect(toSet()));
    }
}
