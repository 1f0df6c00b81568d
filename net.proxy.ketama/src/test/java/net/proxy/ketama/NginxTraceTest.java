package net.proxy.ketama;

import static net.proxy.ketama.Rings.address;
import static net.proxy.ketama.Rings.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The 1001 requests of Pingora's {@code sample-nginx-upstream.csv}, each with the upstream a real nginx
 * picked ({@code hash $request_uri consistent} over {@code server 10.0.0.1..9:443 weight=100}). The
 * addresses are only hashed as text here.
 */
class NginxTraceTest {

    @Test
    void picksWhatNginxPickedForEveryRowOfTheTrace() throws IOException {
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            buckets.add(new Bucket(address("10.0.0." + i, 443), 100));
        }
        Continuum ring = Continuum.of(buckets);
        List<String> rows = readRows();
        assertEquals(1001, rows.size());
        for (String row : rows) {
            int comma = row.indexOf(',');
            String uri = row.substring(0, comma);
            String upstream = row.substring(comma + 1);
            InetSocketAddress chosen = ring.node(bytes(uri));
            assertEquals(upstream, chosen.getAddress().getHostAddress() + ":" + chosen.getPort(), uri);
        }
    }

    private static List<String> readRows() throws IOException {
        try (InputStream in = NginxTraceTest.class.getResourceAsStream("sample-nginx-upstream.csv")) {
            assertNotNull(in, "test resource sample-nginx-upstream.csv");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            List<String> rows = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                rows.add(line);
            }
            return rows;
        }
    }
}
