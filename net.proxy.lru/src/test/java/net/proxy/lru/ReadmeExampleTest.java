package net.proxy.lru;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The README's standalone example, so it keeps compiling and saying the truth. */
class ReadmeExampleTest {

    @Test
    void readmeExampleWorksAsPrinted() {
        TinyUfo<String, String> ufo = TinyUfo.builder().weightLimit(1_000).build();
        ufo.put("a", "alpha", 1);
        assertEquals("alpha", ufo.get("a"));

        ReadThroughCache<String, Integer> lengths = ReadThroughCache.<String, Integer>builder(
                        key -> CompletableFuture.supplyAsync(() -> Loaded.of(key.length(), Duration.ofMinutes(5))))
                .maximumSize(10_000)
                .waitTimeout(Duration.ofSeconds(2))
                .build();
        CacheResult<Integer> r = lengths.get("example.com").join();
        assertEquals("miss 11", r.status().label() + " " + r.value());
        CacheResult<Integer> again = lengths.get("example.com").join();
        assertEquals("hit 11", again.status().label() + " " + again.value());
    }
}
