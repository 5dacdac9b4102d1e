package dev.signalbox.cli.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.signalbox.MachineSemaphore;
import dev.signalbox.Permit;
import dev.signalbox.cli.process.Signalboxes.Run;

/** How waiting processes queue, and what {@code status} and the live line say about them. */
@Tag("process")
class QueueProcessIT {

    @TempDir
    Path temp;

    private Signalboxes signalboxes;

    @BeforeEach
    void startHarness() {
        signalboxes = new Signalboxes(temp);
    }

    @AfterEach
    void killLeftovers() {
        signalboxes.close();
    }

    /** A holder whose command runs until the test closes its stdin. */
    private Run holder(String name) throws Exception {
        Run holder = signalboxes.start("run", "--name", name, "--", "sh", "-c", "read line");
        signalboxes.awaitHeld(name, 1);
        return holder;
    }

    @Test
    void waitingProcessesAreServedInArrivalOrder() throws Exception {
        Run holder = holder("fair");
        Path order = temp.resolve("order");
        List<Run> waiters = new ArrayList<>();
        int n = 10;
        for (int i = 0; i < n; i++) {
            Run waiter = signalboxes.start("run", "--name", "fair", "--", "sh", "-c", "echo " + i + " >> " + order);
            signalboxes.awaitWaiting("fair", waiter); // queued before the next one arrives
            waiters.add(waiter);
        }
        assertThat(signalboxes.snapshot("fair").waiterPids()).as("the queue, head first")
                .containsExactlyElementsOf(waiters.stream().map(Run::pid).toList());
        holder.process().getOutputStream().close();
        for (Run waiter : waiters) {
            assertThat(waiter.exitCode()).isZero();
        }
        List<Integer> served = Files.readAllLines(order).stream().map(Integer::parseInt).toList();
        System.out.println("arrival order 0.." + (n - 1) + ", served: " + served);
        assertThat(served).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, n).boxed().toList());
        // POSIX does not promise an order; Linux queues conflicting lock requests in a chain. Allow
        // neighbours to swap (never observed here), nothing more.
        for (int position = 0; position < n; position++) {
            assertThat(Math.abs(served.get(position) - position)).as("served %s", served).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void statusListsHoldersAndWaitersAsTextAndJson() throws Exception {
        Run holder = holder("seen");
        Run waiter = signalboxes.start("run", "--name", "seen", "--", "true");
        signalboxes.awaitWaiting("seen", waiter);

        Run text = signalboxes.start("status");
        assertThat(text.exitCode()).isZero();
        assertThat(text.stdout()).startsWith("seen: 1 of 1 permit held, 1 waiting\n")
                .contains("  pid " + holder.pid() + "@")
                .contains(": sh -c read line\n")
                .endsWith("  waiting, head first: pid " + waiter.pid() + "\n");

        Run json = signalboxes.start("status", "--name", "seen", "--json");
        assertThat(json.exitCode()).isZero();
        assertThat(json.stdout())
                .startsWith("{\"version\":1,\"stateDirectory\":\"" + signalboxes.stateDirectory() + "\",")
                .contains("\"semaphores\":[{\"name\":\"seen\",\"permits\":1,\"held\":1,\"holders\":[{\"pid\":"
                        + holder.pid() + ",\"host\":\"")
                .contains("\"command\":\"sh -c read line\",\"since\":\"")
                .endsWith(",\"permits\":1}],\"waiting\":1,\"waiters\":[" + waiter.pid() + "]}]}\n");

        holder.process().getOutputStream().close();
        assertThat(waiter.exitCode()).isZero();
        Run unknown = signalboxes.start("status", "--name", "nobody");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).isEqualTo("signalbox: no semaphore named 'nobody' in "
                + signalboxes.stateDirectory() + "\n");
    }

    @Test
    void onATerminalOneLiveLineSaysHowLongWhoIsAheadAndWhoHolds() throws Exception {
        Run holder = holder("tty");
        Run ahead = signalboxes.start("run", "--name", "tty", "--", "true");
        signalboxes.awaitWaiting("tty", ahead);
        // script(1) gives signalbox a pseudo-terminal and copies what it draws there to stdout.
        Path screen = temp.resolve("screen");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder onTerminal = new ProcessBuilder("script", "-qefc",
                java + " -jar " + Signalboxes.jar() + " run --name tty -- true", "/dev/null")
                .redirectOutput(screen.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        onTerminal.environment().put("SIGNALBOX_STATE_DIR", signalboxes.stateDirectory().toString());
        Process script = onTerminal.start();
        try {
            Signalboxes.awaitTrue("the live line is drawn", () -> read(screen).contains("1 ahead"));
            assertThat(read(screen)).contains("signalbox: waiting ").contains(" for 'tty', 1 ahead; 1/1 held by "
                    + holder.pid() + " sh -c read line");
            holder.process().getOutputStream().close();
            assertThat(script.waitFor(Signalboxes.LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(script.exitValue()).isZero();
            // Erased once the wait is over: the terminal is left clean for the command's output.
            assertThat(read(screen)).endsWith("\r\033[K");
        } finally {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
        // Not a terminal (stderr is a file): not a word about waiting.
        assertThat(ahead.exitCode()).isZero();
        assertThat(ahead.stderr()).isEmpty();
    }

    @Test
    void killingTheProcessAtTheDoorPassesTheDoorToTheNext() throws Exception {
        Run holder = holder("heads");
        Run head = signalboxes.start("run", "--name", "heads", "--", "true");
        signalboxes.awaitWaiting("heads", head);
        Path ran = temp.resolve("ran");
        Run next = signalboxes.start("run", "--name", "heads", "--", "touch", ran.toString());
        signalboxes.awaitWaiting("heads", next);
        head.process().destroyForcibly(); // SIGKILL while it holds the door, waiting for the slot
        assertThat(head.exitCode()).isEqualTo(137);
        Signalboxes.awaitTrue("the next process is at the head",
                () -> waiters("heads").equals(List.of(next.pid())));
        holder.process().getOutputStream().close();
        assertThat(next.exitCode()).isZero();
        assertThat(ran).exists();
    }

    private List<Long> waiters(String name) {
        try {
            return signalboxes.snapshot(name).waiterPids();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aJavaRequestWithdrawnWhileBlockedAtTheDoorLeavesTheQueueAndTheDoorWorks() throws Exception {
        Run holder = holder("door");
        Run head = signalboxes.start("run", "--name", "door", "--", "true");
        signalboxes.awaitWaiting("door", head); // holds the door while it waits for the slot
        long me = ProcessHandle.current().pid();
        try (MachineSemaphore semaphore = MachineSemaphore.open(signalboxes.stateDirectory(), "door", 1)) {
            // Blocked in the kernel behind the head: withdrawing must abort that lock() call.
            CompletableFuture<Permit> cancelled = semaphore.acquirePermitAsync();
            signalboxes.awaitWaiting("door", me);
            assertThat(cancelled.cancel(true)).isTrue();
            Signalboxes.awaitTrue("this process left the queue",
                    () -> !semaphore.snapshot().waiterPids().contains(me));

            // The same through a timeout, on the reopened door channel.
            Optional<Permit> timedOut = semaphore.tryAcquirePermit(Duration.ofMillis(300));
            assertThat(timedOut).isEmpty();
            assertThat(semaphore.snapshot().waiterPids()).doesNotContain(me).contains(head.pid());

            holder.process().getOutputStream().close();
            assertThat(head.exitCode()).isZero();
            // Nothing leaked in this process: the one permit is free for it now.
            try (Permit permit = semaphore.tryAcquirePermit(Signalboxes.LIMIT).orElseThrow()) {
                assertThat(semaphore.snapshot().holders()).singleElement()
                        .satisfies(h -> assertThat(h.pid()).isEqualTo(me));
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
