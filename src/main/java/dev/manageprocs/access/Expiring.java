package dev.manageprocs.access;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A small cache whose answers expire: at most {@code capacity} entries (the least recently used go first), each
 * trusted for {@code ttl}. Thread-safe; the value is computed outside the lock, so one slow lookup never holds up
 * answers already known. Two threads missing the same key at once may both compute it: harmless for lookups.
 */
final class Expiring<K, V> {
    private record Slot<V>(V value, long expiresAt) {
    }

    private final int capacity;
    private final long ttlNanos;
    private final LongSupplier clock;
    private final Map<K, Slot<V>> entries;

    Expiring(int capacity, Duration ttl, LongSupplier clock) {
        this.capacity = capacity;
        this.ttlNanos = ttl.toNanos();
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Slot<V>> eldest) {
                return size() > Expiring.this.capacity;
            }
        };
    }

    V get(K key, Function<K, V> compute) {
        long now = clock.getAsLong();
        synchronized (entries) {
            Slot<V> e = entries.get(key);
            if (e != null && now - e.expiresAt() < 0) {
                return e.value();
            }
        }
        V value = compute.apply(key);
        synchronized (entries) {
            entries.put(key, new Slot<>(value, clock.getAsLong() + ttlNanos));
        }
        return value;
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
