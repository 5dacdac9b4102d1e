package dev.signalbox.redis.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.signalbox.redis.RedisSemaphoreSnapshot;

/** Reads the reply of inspect.lua. */
final class Snapshots {

    private Snapshots() {
    }

    static RedisSemaphoreSnapshot of(String name, int maxPermits, List<Object> reply) {
        if ("NONE".equals(reply.get(0))) {
            return new RedisSemaphoreSnapshot(name, maxPermits, maxPermits, "", Duration.ZERO, false, List.of(),
                    List.of());
        }
        int max = toInt(reply.get(1));
        int used = toInt(reply.get(2));
        List<RedisSemaphoreSnapshot.Holder> holders = new ArrayList<>();
        List<?> h = (List<?>) reply.get(6);
        for (int i = 0; i < h.size(); i += 7) {
            holders.add(new RedisSemaphoreSnapshot.Holder((String) h.get(i), toInt(h.get(i + 1)), (Long) h.get(i + 2),
                    (String) h.get(i + 3), (String) h.get(i + 6), Instant.ofEpochMilli((Long) h.get(i + 5)),
                    Duration.ofMillis(Math.max(0, (Long) h.get(i + 4)))));
        }
        List<RedisSemaphoreSnapshot.Waiter> waiters = new ArrayList<>();
        List<?> w = (List<?>) reply.get(7);
        for (int i = 0; i < w.size(); i += 5) {
            waiters.add(new RedisSemaphoreSnapshot.Waiter((String) w.get(i), toInt(w.get(i + 1)), (String) w.get(i + 2),
                    (String) w.get(i + 4), Instant.ofEpochMilli((Long) w.get(i + 3))));
        }
        return new RedisSemaphoreSnapshot(name, max, max - used, (String) reply.get(3),
                Duration.ofMillis((Long) reply.get(4)), (Long) reply.get(5) == 1, holders, waiters);
    }

    private static int toInt(Object value) {
        return Math.toIntExact((Long) value);
    }
}
