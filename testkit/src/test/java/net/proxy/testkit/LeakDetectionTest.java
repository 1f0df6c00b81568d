package net.proxy.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakDetection.class)
class LeakDetectionTest {

    @Test
    void reportsABufferThatWasNeverReleased() {
        leakOneBuffer();
        List<String> leaks = LeakDetection.collectLeaks();
        assertEquals(1, leaks.size(), () -> "expected exactly one leak, got " + leaks);
        assertTrue(leaks.get(0).contains("leakOneBuffer"), leaks.get(0));
    }

    @Test
    void reportsNothingWhenEveryBufferIsReleased() {
        ByteBuf buf = Unpooled.directBuffer(64).writeLong(42);
        buf.release();
        assertEquals(List.of(), LeakDetection.collectLeaks());
    }

    @Test
    void exportsOnlyItsApiPackage() {
        Module module = LeakDetection.class.getModule();
        assertTrue(module.isNamed(), "tests must run on the module path");
        assertEquals(
                Set.of("net.proxy.testkit"),
                module.getDescriptor().exports().stream()
                        .map(ModuleDescriptor.Exports::source)
                        .collect(Collectors.toSet()));
    }

    private static void leakOneBuffer() {
        ByteBuf buf = Unpooled.directBuffer(8); // unpooled heap buffers are not tracked by Netty
        buf.writeInt(7); // recorded as an access point in paranoid mode
    }
}
