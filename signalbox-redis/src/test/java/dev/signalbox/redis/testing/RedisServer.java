package dev.signalbox.redis.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * A real {@code redis-server} process on a free loopback port, without persistence, in its own
 * directory; with the controls the fault tests need (pause, kill, restart empty) and a Lettuce
 * connection for admin commands.
 */
public final class RedisServer implements AutoCloseable {

    public static final Path BINARY = Path.of(System.getenv().getOrDefault("REDIS_SERVER", "/usr/bin/redis-server"));

    private final Path dir;
    private final int port;
    private final List<String> extraArgs;
    private Process process;
    private RedisClient adminClient;
    private StatefulRedisConnection<String, String> admin;

    private RedisServer(Path dir, int port, List<String> extraArgs) {
        this.dir = dir;
        this.port = port;
        this.extraArgs = extraArgs;
    }

    /** Starts a server on a free port; extra arguments go to redis-server (e.g. --replicaof). */
    public static RedisServer start(String... extraArgs) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("signalbox-redis-");
        RedisServer server = new RedisServer(dir, freePort(), List.of(extraArgs));
        server.launch();
        return server;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void launch() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString()));
        command.addAll(extraArgs);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        awaitListening();
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("redis-server exited with " + process.exitValue() + ": "
                            + Files.readString(dir.resolve("redis.log")));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("redis-server did not listen on port " + port + " within 10 s");
                }
                Thread.sleep(10); // startup has no event to wait on; bounded by the deadline above
            }
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** Synchronous admin commands on a connection of its own. */
    public synchronized RedisCommands<String, String> admin() {
        if (admin == null || !admin.isOpen()) {
            if (adminClient == null) {
                adminClient = RedisClient.create(RedisURI.create(uri()));
            }
            admin = adminClient.connect();
            admin.setTimeout(Duration.ofSeconds(5));
        }
        return admin.sync();
    }

    /** How many times a command ran, from INFO commandstats (e.g. "evalsha"). */
    public long calls(String command) {
        String stats = admin().info("commandstats");
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
            }
        }
        return 0;
    }

    /** SIGSTOP: the server keeps its sockets but answers nothing, as in a long pause. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT. */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill " + signal + " " + process.pid() + " failed");
        }
    }

    /** kill -9 and start again on the same port with no data, as a restart without persistence. */
    public void restartEmpty() throws IOException, InterruptedException {
        kill9();
        launch();
    }

    /** kill -9, and wait until the process is gone. */
    public void kill9() throws InterruptedException {
        closeAdmin();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private synchronized void closeAdmin() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            try {
                resume(); // a paused server is killed as well, but would keep its sockets until then
            } catch (IOException e) {
                // it is killed below anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (process != null) {
            try {
                kill9();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // killed anyway; the wait for it was cut short
            }
        }
        synchronized (this) {
            if (adminClient != null) {
                adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
