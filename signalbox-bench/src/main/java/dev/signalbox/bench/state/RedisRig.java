package dev.signalbox.bench.state;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one Redis benchmark run measures against: its own {@link RedisServer} and {@code clients}
 * clients of one contender on one semaphore there. Closing it closes the clients, then stops the
 * server.
 */
public final class RedisRig implements AutoCloseable {

    private final RedisServer server;
    private final List<RedisContender.Client> clients = new ArrayList<>();

    private RedisRig(RedisServer server) {
        this.server = server;
    }

    /**
     * Starts a server and connects {@code clients} clients of {@code contender} to one semaphore
     * of {@code permits} permits on it.
     *
     * @throws IllegalArgumentException if {@code clients} or {@code permits} is not positive
     */
    public static RedisRig start(RedisContender contender, int clients, int permits)
            throws IOException, InterruptedException {
        if (clients < 1) {
            throw new IllegalArgumentException("clients must be positive, got " + clients);
        }
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be positive, got " + permits);
        }
        RedisRig rig = new RedisRig(RedisServer.start());
        try {
            for (int i = 0; i < clients; i++) {
                rig.clients.add(contender.connect(rig.server.uri(), "bench", permits));
            }
        } catch (RuntimeException e) {
            rig.close();
            throw e;
        }
        return rig;
    }

    /** Client {@code i}'s semaphore, counting from 0. */
    public RedisPermits client(int i) {
        return clients.get(i).permits();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            clients.forEach(RedisContender.Client::close);
        } finally {
            server.close();
        }
    }
}
