package net.proxy.lb;

import static net.proxy.lb.SelectionAlgorithmTest.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.proxy.lb.health.HttpHealthCheck;
import net.proxy.lb.health.TcpHealthCheck;
import org.junit.jupiter.api.Test;

class LoadBalancerTest {

    /** A health check whose verdict per backend the test sets. */
    static class FakeCheck implements HealthCheck {
        final Set<Backend> down = new HashSet<>();
        volatile boolean closed;
        final int rise;
        final int fall;

        FakeCheck(int rise, int fall) {
            this.rise = rise;
            this.fall = fall;
        }

        @Override
        public CompletionStage<Void> check(Backend backend) {
            return down.contains(backend)
                    ? CompletableFuture.failedFuture(new java.io.IOException("down"))
                    : CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public int rise() {
            return rise;
        }

        @Override
        public int fall() {
            return fall;
        }
    }

    @Test
    void unhealthyBackendIsSkippedAfterFallAndBackAfterRise() {
        Backend x = b("10.0.0.1:80", 1);
        Backend y = b("10.0.0.2:80", 1);
        FakeCheck check = new FakeCheck(2, 3);
        List<String> changes = new ArrayList<>();
        LoadBalancer lb = LoadBalancer.builder()
                .backends(List.of(x, y))
                .healthCheck(check)
                .healthObserver((be, healthy) -> changes.add(be + "=" + healthy))
                .build();
        check.down.add(x);
        lb.runHealthChecks();
        lb.runHealthChecks();
        assertTrue(lb.isReady(x), "two failures are below fall=3");
        lb.runHealthChecks();
        assertFalse(lb.isReady(x));
        for (int i = 0; i < 10; i++) {
            assertEquals(y, lb.select(new byte[0]));
        }
        check.down.clear();
        lb.runHealthChecks();
        assertFalse(lb.isReady(x), "one success is below rise=2");
        lb.runHealthChecks();
        assertTrue(lb.isReady(x));
        assertEquals(List.of("10.0.0.1:80=false", "10.0.0.1:80=true"), changes);
    }

    @Test
    void aSuccessResetsTheFailureCount() {
        Backend x = b("10.0.0.1:80", 1);
        FakeCheck check = new FakeCheck(1, 2);
        LoadBalancer lb =
                LoadBalancer.builder().backends(List.of(x)).healthCheck(check).build();
        check.down.add(x);
        lb.runHealthChecks();
        check.down.clear();
        lb.runHealthChecks();
        check.down.add(x);
        lb.runHealthChecks();
        assertTrue(lb.isReady(x));
    }

    @Test
    void passiveFailuresMarkABackendDownForTheTimeout() {
        AtomicLong now = new AtomicLong(1_000);
        Backend x = b("10.0.0.1:80", 1);
        Backend y = b("10.0.0.2:80", 1);
        LoadBalancer lb = LoadBalancer.builder()
                .backends(List.of(x, y))
                .passiveFailures(2)
                .passiveTimeout(Duration.ofSeconds(10))
                .ticker(now::get)
                .build();
        lb.reportFailure(x);
        assertTrue(lb.isReady(x));
        lb.reportFailure(x);
        assertFalse(lb.isReady(x));
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertFalse(lb.isReady(x));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(lb.isReady(x));
        lb.reportFailure(x);
        lb.reportSuccess(x);
        lb.reportFailure(x);
        assertTrue(lb.isReady(x), "a success in between resets the count");
    }

    @Test
    void discoverySwapKeepsHealthOfBackendsThatStay() {
        Backend x = b("10.0.0.1:80", 1);
        Backend y = b("10.0.0.2:80", 1);
        Backend z = b("10.0.0.3:80", 1);
        AtomicReference<Set<Backend>> current = new AtomicReference<>(Set.of(x, y));
        FakeCheck check = new FakeCheck(1, 1);
        LoadBalancer lb = LoadBalancer.builder()
                .discovery(current::get)
                .healthCheck(check)
                .build();
        check.down.add(x);
        lb.runHealthChecks();
        assertFalse(lb.isReady(x));
        assertFalse(lb.update(), "same set: no swap");
        current.set(Set.of(x, z));
        assertTrue(lb.update());
        assertEquals(List.of(x, z), lb.backends());
        assertFalse(lb.isReady(x), "x keeps its unhealthy state");
        assertFalse(lb.isReady(y), "y is gone");
        assertEquals(z, lb.select(new byte[0]));
    }

    @Test
    void failingDiscoveryKeepsThePreviousSet() {
        Backend x = b("10.0.0.1:80", 1);
        AtomicReference<Set<Backend>> current = new AtomicReference<>(Set.of(x));
        LoadBalancer lb = LoadBalancer.builder()
                .discovery(() -> {
                    Set<Backend> s = current.get();
                    if (s == null) {
                        throw new UnknownHostException("gone");
                    }
                    return s;
                })
                .build();
        current.set(null);
        assertFalse(lb.update());
        assertEquals(List.of(x), lb.backends());
    }

    @Test
    void dnsDiscoveryReResolvesThroughTheInjectedResolver() throws Exception {
        AtomicReference<List<InetAddress>> answers =
                new AtomicReference<>(List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2")));
        List<String> asked = new ArrayList<>();
        ServiceDiscovery dns = ServiceDiscovery.dns("origin.test", 8080, host -> {
            asked.add(host);
            return answers.get();
        });
        LoadBalancer lb = LoadBalancer.builder().discovery(dns).build();
        assertEquals("[127.0.0.1:8080, 127.0.0.2:8080]", lb.backends().toString());
        answers.set(List.of(InetAddress.getByName("127.0.0.3")));
        assertTrue(lb.update());
        assertEquals("[127.0.0.3:8080]", lb.backends().toString());
        answers.set(List.of());
        assertFalse(lb.update(), "an empty answer is an error and keeps the set");
        assertEquals(List.of("origin.test", "origin.test", "origin.test"), asked);
        assertThrows(IllegalArgumentException.class, () -> ServiceDiscovery.dns("h", 0, h -> List.of()));
    }

    @Test
    void backgroundServiceReResolvesDnsPeriodically() throws Exception {
        AtomicReference<List<InetAddress>> answers = new AtomicReference<>(List.of(InetAddress.getByName("127.0.0.1")));
        LoadBalancer lb = LoadBalancer.builder()
                .discovery(ServiceDiscovery.dns("origin.test", 80, host -> answers.get()))
                .updateInterval(Duration.ofMillis(20))
                .build();
        ManualScheduler scheduler = new ManualScheduler();
        try {
            lb.start(scheduler);
            answers.set(List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3")));
            scheduler.advance(Duration.ofMillis(19));
            assertEquals("[127.0.0.1:80]", lb.backends().toString(), "not yet re-resolved");
            scheduler.advance(Duration.ofMillis(1));
            assertEquals("[127.0.0.2:80, 127.0.0.3:80]", lb.backends().toString());
            answers.set(List.of(InetAddress.getByName("127.0.0.4")));
            scheduler.advance(Duration.ofMillis(20));
            assertEquals("[127.0.0.4:80]", lb.backends().toString(), "again after the fixed delay");
        } finally {
            lb.close();
        }
        assertEquals(0, scheduler.pending(), "close cancels the schedule");
    }

    @Test
    void healthChecksRunAtOnceThenEveryIntervalAndCloseStopsThem() {
        Backend x = b("10.0.0.1:80", 1);
        FakeCheck check = new FakeCheck(1, 1) {
            @Override
            public Duration interval() {
                return Duration.ofSeconds(5);
            }
        };
        List<String> changes = new ArrayList<>();
        LoadBalancer lb = LoadBalancer.builder()
                .backends(List.of(x))
                .healthCheck(check)
                .healthObserver((be, healthy) -> changes.add(be + "=" + healthy))
                .build();
        ManualScheduler scheduler = new ManualScheduler();
        check.down.add(x);
        lb.start(scheduler);
        assertTrue(lb.isReady(x), "nothing runs before the scheduler does");
        scheduler.runDue();
        assertFalse(lb.isReady(x), "the first round runs at once");
        check.down.clear();
        scheduler.advance(Duration.ofMillis(4_999));
        assertFalse(lb.isReady(x));
        scheduler.advance(Duration.ofMillis(1));
        assertTrue(lb.isReady(x), "the next round after the interval");
        assertThrows(IllegalStateException.class, () -> lb.start(scheduler));
        lb.close();
        assertTrue(check.closed, "the load balancer owns its health check");
        assertEquals(0, scheduler.pending());
        check.down.add(x);
        lb.runHealthChecks();
        assertTrue(lb.isReady(x), "no health checks once closed");
        assertEquals(List.of("10.0.0.1:80=false", "10.0.0.1:80=true"), changes);
        lb.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, lb::start);
        assertEquals("load balancer closed", e.getMessage());
    }

    @Test
    void startWithoutASchedulerRunsChecksOnAThreadOfItsOwn() throws Exception {
        Backend x = b("10.0.0.1:80", 1);
        CountDownLatch checked = new CountDownLatch(2);
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        HealthCheck check = new HealthCheck() {
            @Override
            public CompletionStage<Void> check(Backend backend) {
                threads.add(Thread.currentThread().getName());
                checked.countDown();
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public Duration interval() {
                return Duration.ofMillis(1);
            }
        };
        try (LoadBalancer lb =
                LoadBalancer.builder().backends(List.of(x)).healthCheck(check).build()) {
            lb.start();
            assertTrue(checked.await(10, TimeUnit.SECONDS), "two rounds ran");
            assertEquals("net.proxy-lb", threads.get(0));
        }
    }

    @Test
    void aCheckThatThrowsOrNeverCompletesCountsAsFailed() {
        Backend x = b("10.0.0.1:80", 1);
        Backend y = b("10.0.0.2:80", 1);
        CompletableFuture<Void> never = new CompletableFuture<>();
        HealthCheck check = new HealthCheck() {
            @Override
            public CompletionStage<Void> check(Backend backend) {
                if (backend.equals(x)) {
                    throw new IllegalStateException("broken check");
                }
                return never;
            }

            @Override
            public Duration timeout() {
                return Duration.ofMillis(1);
            }
        };
        List<String> changes = new ArrayList<>();
        LoadBalancer lb = LoadBalancer.builder()
                .backends(List.of(x, y))
                .healthCheck(check)
                .healthObserver((be, healthy) -> changes.add(be + "=" + healthy))
                .build();
        lb.runHealthChecks();
        assertFalse(lb.isReady(x));
        assertFalse(lb.isReady(y), "given up a second after the check's timeout");
        assertEquals(List.of("10.0.0.1:80=false", "10.0.0.2:80=false"), changes);
    }

    @Test
    void disabledBackendIsNeverSelectedAndCandidatesHonourAccept() {
        Backend x = b("10.0.0.1:80", 1);
        Backend y = b("10.0.0.2:80", 1);
        LoadBalancer lb = LoadBalancer.builder().backends(List.of(x, y)).build();
        lb.enable(x, false);
        for (int i = 0; i < 4; i++) {
            assertEquals(y, lb.select(new byte[0]));
        }
        lb.enable(x, true);
        Candidates c = lb.candidates(new byte[0], be -> !be.equals(y));
        assertEquals(x, c.next());
        assertNull(c.next());
    }

    @Test
    void requestsInFlightAreCountedOnlyForLoadAwareAlgorithms() {
        Backend x = b("10.0.0.1:80", 1);
        assertTrue(SelectionAlgorithm.leastConnections().loadAware());
        for (String name : List.of("round-robin", "random", "fnv", "ketama")) {
            assertFalse(SelectionAlgorithm.named(name).loadAware(), name);
        }
        for (boolean aware : new boolean[] {true, false}) {
            int[] seen = new int[1];
            SelectionAlgorithm probe = SelectionAlgorithm.of("probe", aware, (backends, active) -> key -> {
                seen[0] = active.applyAsInt(0);
                return SelectionAlgorithm.roundRobin()
                        .selector(backends, active)
                        .select(key);
            });
            LoadBalancer lb =
                    LoadBalancer.builder().backends(List.of(x)).selection(probe).build();
            LoadBalancer.Lease lease = lb.acquire(x);
            lb.select(new byte[0]);
            assertEquals(aware ? 1 : 0, seen[0], "in flight seen by a selector with loadAware() " + aware);
            lease.close();
            lb.select(new byte[0]);
            assertEquals(0, seen[0]);
        }
    }

    @Test
    void leasesFeedLeastConnections() {
        Backend x = b("10.0.0.1:80", 1);
        Backend y = b("10.0.0.2:80", 1);
        LoadBalancer lb = LoadBalancer.builder()
                .backends(List.of(x, y))
                .selection(SelectionAlgorithm.leastConnections())
                .build();
        LoadBalancer.Lease l1 = lb.acquire(x);
        LoadBalancer.Lease l2 = lb.acquire(x);
        for (int i = 0; i < 20; i++) {
            assertEquals(y, lb.select(new byte[0]));
        }
        l1.close();
        l1.close();
        l2.close();
        int xs = 0;
        for (int i = 0; i < 400; i++) {
            if (lb.select(new byte[0]).equals(x)) {
                xs++;
            }
        }
        assertTrue(xs > 100 && xs < 300, "balanced again after the leases closed: " + xs);
    }

    @Test
    void builderValidatesEagerly() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> LoadBalancer.builder().passiveFailures(0));
        assertEquals("passiveFailures: 0 (expected: >= 1)", e.getMessage());
        assertThrows(IllegalStateException.class, () -> LoadBalancer.builder().build());
        e = assertThrows(
                IllegalArgumentException.class, () -> LoadBalancer.builder().updateInterval(Duration.ofSeconds(-1)));
        assertEquals("updateInterval: PT-1S (expected: > 0)", e.getMessage());
        assertThrows(NullPointerException.class, () -> LoadBalancer.builder().passiveTimeout(null));
        e = assertThrows(
                IllegalArgumentException.class, () -> TcpHealthCheck.builder().timeout(Duration.ZERO));
        assertEquals("timeout: PT0S (expected: > 0)", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> HttpHealthCheck.builder().path("no-slash"));
        assertEquals("path: no-slash (expected: /... without spaces or controls)", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> HttpHealthCheck.builder().expectStatus(99));
        assertEquals("expectStatus: 99 (expected: 100..599)", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> HttpHealthCheck.builder().interval(Duration.ofSeconds(-1)));
        assertEquals("interval: PT-1S (expected: > 0)", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> TcpHealthCheck.builder().fall(0));
        assertEquals("fall: 0 (expected: >= 1)", e.getMessage());
    }
}
