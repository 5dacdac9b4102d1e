package dev.signalbox.redis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder between clients and a Redis server that can add latency, stall (blackhole:
 * the sockets stay open but nothing passes, as in a partition; on heal the stalled bytes flow
 * on, late, as TCP would deliver them) and reset every connection. Its target can be switched,
 * for failover.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile int targetPort;
    private volatile long delayMillis;
    private boolean blackholed; // guarded by gate
    private volatile boolean cutNextReply;

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept").start(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String uri() {
        return "redis://127.0.0.1:" + port();
    }

    /** Adds {@code millis} of latency to every chunk, in both directions. */
    public void delay(long millis) {
        delayMillis = millis;
    }

    /** Stops forwarding; the connections stay open. */
    public void blackhole() {
        synchronized (gate) {
            blackholed = true;
        }
    }

    /** Forwards again, including what was held back. */
    public void heal() {
        synchronized (gate) {
            blackholed = false;
            gate.notifyAll();
        }
    }

    /** Closes every open connection (both sides); new connections are accepted as before. */
    public void resetAll() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /**
     * The next bytes the server sends are not delivered: both sides of that connection are
     * closed instead, after the server has run the command. The client sees its request fail
     * although it took effect, as when a reply is lost.
     */
    public void cutNextReply() {
        cutNextReply = true;
    }

    /** Sends new connections to {@code port} from now on. */
    public void retarget(int port) {
        targetPort = port;
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                Socket server;
                try {
                    server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException refused) {
                    closeQuietly(client);
                    continue;
                }
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                Thread.ofVirtual().start(() -> pump(client, server, false));
                Thread.ofVirtual().start(() -> pump(server, client, true));
            }
        } catch (IOException closed) {
            // the proxy is closed
        }
    }

    private void pump(Socket from, Socket to, boolean replies) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (gate) {
                    while (blackholed) {
                        gate.wait();
                    }
                }
                if (replies && cutNextReply) {
                    cutNextReply = false;
                    return; // closes both sides below: the reply is lost
                }
                long delay = delayMillis;
                if (delay > 0) {
                    Thread.sleep(delay); // the latency being simulated
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // a reset or close ends this direction
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        heal();
        listener.close();
        resetAll();
    }
}
