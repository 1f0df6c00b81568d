package net.proxy.tls;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TlsModuleTest {
    @Test
    void exportsOnlyApiAndSpi() {
        Module module = TlsEngine.class.getModule();
        assertTrue(module.isNamed(), "tests must run on the module path");
        assertEquals(
                Set.of("net.proxy.tls", "net.proxy.tls.spi"),
                module.getDescriptor().exports().stream()
                        .map(ModuleDescriptor.Exports::source)
                        .collect(toSet()));
    }

    @Test
    void declaresBothEnginesAsServices() {
        ModuleDescriptor d = TlsEngine.class.getModule().getDescriptor();
        assertEquals(Set.of("net.proxy.tls.spi.TlsEngineProvider"), d.uses());
        assertEquals(
                Set.of("net.proxy.tls.JdkEngineProvider", "net.proxy.tls.ConscryptEngineProvider"),
                d.provides().stream().flatMap(p -> p.providers().stream()).collect(toSet()));
    }
}
