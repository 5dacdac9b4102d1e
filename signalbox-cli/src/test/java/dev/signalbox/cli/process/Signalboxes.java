package dev.signalbox.cli.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.signalbox.MachineSemaphore;

/**
 * Starts real {@code signalbox} processes ({@code java -jar target/signalbox.jar}) on a private
 * state directory, and kills whatever is left of them after each test.
 */
final class Signalboxes implements AutoCloseable {

    /** The longest anything in a process test may take. */
    static final Duration LIMIT = Duration.ofSeconds(20);

    private final Path temp;
    private final Path stateDirectory;
    private final List<Process> started = new ArrayList<>();
    private int count;

    private final Path jar;

    Signalboxes(Path temp) {
        this.temp = temp;
        this.stateDirectory = temp.resolve("state");
        this.jar = jar();
    }

    /**
     * The packaged jar failsafe names in {@code signalbox.jar}. A surefire run that picks up these
     * classes by a {@code -Dtest} pattern has none: say so instead of failing obscurely.
     */
    static Path jar() {
        String property = System.getProperty("signalbox.jar");
        assertThat(property).as("the system property signalbox.jar: process tests run in `mvn verify` (failsafe),"
                + " after `package` has built the jar").isNotNull();
        Path jar = Path.of(property).toAbsolutePath();
        assertThat(jar).as("the packaged signalbox jar").isRegularFile();
        return jar;
    }

    Path stateDirectory() {
        return stateDirectory;
    }

    Path temp() {
        return temp;
    }

    /** A running {@code signalbox} with its output in files; stdin is a pipe the test may write to. */
    record Run(Process process, Path out, Path err) {

        long pid() {
            return process.pid();
        }

        int exitCode() throws InterruptedException {
            assertThat(process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)).as("signalbox ended").isTrue();
            return process.exitValue();
        }

        String stderr() throws IOException {
            return Files.readString(err);
        }

        String stdout() throws IOException {
            return Files.readString(out);
        }

        /** The one child signalbox started (setpriv execs the command, so it is the command). */
        ProcessHandle child() {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            for (;;) {
                Optional<ProcessHandle> child = process.children().findFirst();
                if (child.isPresent()) {
                    return child.get();
                }
                assertThat(System.nanoTime()).as("signalbox started its command").isLessThan(deadline);
                pause();
            }
        }
    }

    Run start(String... args) throws IOException {
        return start(stateDirectory, args);
    }

    Run start(Path stateDir, String... args) throws IOException {
        int n = ++count;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        Path out = temp.resolve("out-" + n);
        Path err = temp.resolve("err-" + n);
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .directory(temp.toFile());
        builder.environment().put("SIGNALBOX_STATE_DIR", stateDir.toString());
        Process process = builder.start();
        started.add(process);
        return new Run(process, out, err);
    }

    /** The semaphore as the kernel's lock table shows it now. */
    MachineSemaphore.Snapshot snapshot(String name) throws IOException {
        return MachineSemaphore.snapshot(stateDirectory, name)
                .orElse(new MachineSemaphore.Snapshot(name, 0, List.of(), List.of()));
    }

    /** Waits until {@code name} has {@code held} permits held. */
    void awaitHeld(String name, int held) throws IOException {
        awaitTrue("'" + name + "' has " + held + " held", () -> unchecked(() -> snapshot(name).held() == held));
    }

    /** Waits until {@code run} waits in the queue of {@code name}. */
    void awaitWaiting(String name, Run run) throws IOException {
        awaitTrue("pid " + run.pid() + " waits for '" + name + "'",
                () -> unchecked(() -> snapshot(name).waiterPids().contains(run.pid())));
    }

    /** Waits until the process {@code pid} waits in the queue of {@code name}. */
    void awaitWaiting(String name, long pid) {
        awaitTrue("pid " + pid + " waits for '" + name + "'",
                () -> unchecked(() -> snapshot(name).waiterPids().contains(pid)));
    }

    static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            pause();
        }
    }

    private interface IoCondition {
        boolean get() throws IOException;
    }

    private static boolean unchecked(IoCondition condition) {
        try {
            return condition.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A short pause between looks at another process's state (a poll with a bound, never an ordering). */
    static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
