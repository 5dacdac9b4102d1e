package dev.signalbox.redis.fault;

import java.time.Duration;

import dev.signalbox.redis.LeasedPermit;
import dev.signalbox.redis.RedisSemaphore;
import dev.signalbox.redis.RedisSemaphoreClient;

/**
 * A separate JVM that holds (or waits for) a permit until it is killed: the victim of the
 * kill -9 tests. Arguments: redis URI, semaphore name, max permits, lease ms, and "hold" or
 * "wait". Prints {@code HELD <token>} once it holds, or {@code WAITING} once it has sent its
 * acquire.
 */
public final class HolderMain {

    private HolderMain() {
    }

    public static void main(String[] args) throws Exception {
        RedisSemaphoreClient client = RedisSemaphoreClient.builder(args[0]).leaseTtl(Duration.ofMillis(Long.parseLong(args[3])))
                .waiterTtl(Duration.ofSeconds(1)).recheckInterval(Duration.ofMillis(250)).build();
        RedisSemaphore semaphore = client.semaphore(args[1], Integer.parseInt(args[2]));
        if (args[4].equals("hold")) {
            LeasedPermit permit = semaphore.acquirePermit();
            System.out.println("HELD " + permit.fencingToken());
        } else {
            semaphore.acquireLeaseAsync(1);
            System.out.println("WAITING");
        }
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }
}
