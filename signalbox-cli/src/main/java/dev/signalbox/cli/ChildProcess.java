package dev.signalbox.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

// The JDK has no public API for handling signals; sun.misc.Signal (module jdk.unsupported) is the
// one JEP 260 keeps available for exactly this. javac warns about it; the warning cannot be muted.
import sun.misc.Signal;

/**
 * Runs {@code run}'s command in the foreground: inherited stdin, stdout and stderr; SIGINT and
 * SIGTERM forwarded; its exit code returned (128 + n when signal n ended it, as shells report).
 *
 * <p>The child must not outlive {@code signalbox}, whose death (even by {@code kill -9}) frees
 * the permit: it is started under {@code setpriv --pdeathsig KILL}, so the kernel kills it when
 * the thread that started it ends. That thread is the caller's, which waits for the child, so it
 * lives exactly as long as needed.
 */
final class ChildProcess {

    private static final List<Path> SETPRIV = List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"));

    private ChildProcess() {}

    static int runInForeground(List<String> command, PrintWriter err) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        Optional<Path> setpriv = setpriv();
        if (setpriv.isPresent()) {
            argv.add(setpriv.get().toString());
            argv.add("--pdeathsig");
            argv.add("KILL");
            argv.add("--");
        } else {
            err.println("signalbox: setpriv not found: if signalbox is killed, the command runs on without the permit");
        }
        argv.addAll(command);
        Forwarder forwarder = new Forwarder();
        forwarder.install();
        Process child = new ProcessBuilder(argv).inheritIO().start();
        forwarder.started(child);
        return child.waitFor();
    }

    private static Optional<Path> setpriv() {
        for (Path candidate : SETPRIV) {
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Executables.find("setpriv").filter(Files::isExecutable);
    }

    /**
     * Sends SIGINT and SIGTERM on to the child. Installed before the child starts, so that from the
     * moment the child exists, these signals no longer end this JVM (which would free the permit
     * while the child runs); one that arrives before the child exists is sent once it does.
     */
    private static final class Forwarder {

        private Process child; // guarded by this
        private String pending; // guarded by this

        void install() {
            for (String name : new String[] {"INT", "TERM"}) {
                Signal.handle(new Signal(name), signal -> received(name));
            }
        }

        private void received(String name) {
            // A Ctrl-C on our terminal already reached the child, in our foreground process group.
            if (name.equals("INT") && Terminal.inForegroundOfATerminal()) {
                return;
            }
            Process target;
            synchronized (this) {
                target = child;
                if (target == null) {
                    pending = name;
                    return;
                }
            }
            send(target, name);
        }

        void started(Process started) {
            String early;
            synchronized (this) {
                child = started;
                early = pending;
            }
            if (early != null) {
                send(started, early);
            }
        }
    }

    private static void send(Process child, String signal) {
        try {
            // The JDK can send SIGTERM and SIGKILL only; kill(1) sends any signal.
            new ProcessBuilder("kill", "-s", signal, Long.toString(child.pid())).inheritIO().start().waitFor();
        } catch (IOException noKill) {
            if (signal.equals("TERM")) {
                child.destroy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
