package net.proxy.lb;

import static java.util.stream.Collectors.toMap;
import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleExportsTest {

    @Test
    void exportsExactlyTheApiAndSpiPackages() {
        Module module = LoadBalancer.class.getModule();
        assertTrue(module.isNamed(), "tests must run on the module path");
        assertEquals(
                Set.of("net.proxy.lb", "net.proxy.lb.spi", "net.proxy.lb.health"),
                module.getDescriptor().exports().stream()
                        .map(ModuleDescriptor.Exports::source)
                        .collect(toSet()));
    }

    @Test
    void requiresTheConnectorAndParserButNotTheProxyEngine() {
        Map<String, Boolean> requires = LoadBalancer.class.getModule().getDescriptor().requires().stream()
                .filter(r -> !r.name().equals("java.base"))
                .collect(toMap(
                        ModuleDescriptor.Requires::name,
                        r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)));
        assertEquals(
                Map.of(
                        "net.proxy.l4", true,
                        "net.proxy.http", false,
                        "net.proxy.ketama", false,
                        "io.netty.buffer", false,
                        "io.netty.common", false,
                        "io.netty.transport", false,
                        "io.netty.codec.http2", false),
                requires,
                "module name -> transitive");
    }
}
