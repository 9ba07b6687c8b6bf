package dev.manageprocs.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The name-service cache: bounded in size, and an answer is trusted only for its time to live. */
class ExpiringTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger asked = new AtomicInteger();
    private final Expiring<Integer, String> cache = new Expiring<>(3, Duration.ofSeconds(60), now::get);

    private String lookup(int uid) {
        return cache.get(uid, k -> {
            asked.incrementAndGet();
            return "user" + k;
        });
    }

    @Test
    void aFreshAnswerIsNotAskedAgain() {
        assertEquals("user7", lookup(7));
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertEquals("user7", lookup(7));
        assertEquals(1, asked.get());
    }

    @Test
    void anExpiredAnswerIsAskedAgain() {
        lookup(7);
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        lookup(7);
        assertEquals(2, asked.get());
    }

    @Test
    void manyUsersNeverGrowItBeyondItsCapacityAndTheLeastRecentlyUsedGoesFirst() {
        for (int uid = 0; uid < 1000; uid++) {
            lookup(uid);
        }
        assertEquals(3, cache.size());
        lookup(997);
        lookup(1000); // evicts 998, the least recently used
        asked.set(0);
        lookup(997);
        lookup(999);
        assertEquals(0, asked.get());
        lookup(998);
        assertEquals(1, asked.get());
    }
}
