package net.proxy.tls;

import static java.util.stream.Collectors.toList;
import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.proxy.tls.spi.TlsEngineProvider;
import org.junit.jupiter.api.Test;

class TlsModuleTest {
    private static final String INTERNAL = "net.proxy.tls.internal";

    @Test
    void exportsOnlyApiAndSpi() {
        Module module = TlsEngine.class.getModule();
        assertTrue(module.isNamed(), "tests must run on the module path");
        assertEquals(
                Set.of("net.proxy.tls", "net.proxy.tls.spi"),
                module.getDescriptor().exports().stream()
                        .map(ModuleDescriptor.Exports::source)
                        .collect(toSet()));
        assertTrue(module.getPackages().contains(INTERNAL), module.getPackages().toString());
        assertFalse(module.isExported(INTERNAL), INTERNAL + " is exported");
        assertTrue(
                module.getDescriptor().opens().isEmpty(),
                "opens " + module.getDescriptor().opens());
    }

    @Test
    void declaresBothEnginesAsServicesFromTheInternalPackage() {
        ModuleDescriptor d = TlsEngine.class.getModule().getDescriptor();
        assertEquals(Set.of("net.proxy.tls.spi.TlsEngineProvider"), d.uses());
        assertEquals(
                Set.of(INTERNAL + ".JdkEngineProvider", INTERNAL + ".ConscryptEngineProvider"),
                d.provides().stream().flatMap(p -> p.providers().stream()).collect(toSet()));
    }

    @Test
    void theEnginesAreStillFoundThroughTheServiceLoader() {
        assertEquals(TlsEngine.JDK, TlsEngine.named("jdk").name());
        for (TlsEngine engine : TlsEngine.available()) {
            Class<?> type = engine.provider().getClass();
            assertEquals(INTERNAL, type.getPackageName(), type.getName());
        }
    }

    /** No class of an exported package implements the SPI: the built-in providers are not API. */
    @Test
    void exportedPackagesHoldNoEngineProvider() throws Exception {
        Module module = TlsEngine.class.getModule();
        ResolvedModule resolved =
                module.getLayer().configuration().findModule(module.getName()).orElseThrow();
        List<String> classes;
        try (ModuleReader reader = resolved.reference().open();
                Stream<String> entries = reader.list()) {
            classes = entries.filter(e -> e.endsWith(".class") && !e.endsWith("module-info.class"))
                    .map(e -> e.substring(0, e.length() - ".class".length()).replace('/', '.'))
                    .collect(toList());
        } catch (IOException e) {
            throw new AssertionError("cannot list the classes of " + module, e);
        }
        assertTrue(classes.contains(INTERNAL + ".JdkEngineProvider"), classes.toString());
        for (String name : classes) {
            String pkg = name.substring(0, name.lastIndexOf('.'));
            if (module.isExported(pkg)) {
                Class<?> type = Class.forName(name, false, TlsEngine.class.getClassLoader());
                assertFalse(
                        TlsEngineProvider.class.isAssignableFrom(type) && type != TlsEngineProvider.class,
                        name + " implements the SPI in the exported package " + pkg);
            }
        }
    }
}
