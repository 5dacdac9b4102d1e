package dev.signalbox.cli.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.signalbox.cli.process.Signalboxes.Run;

/** {@code signalbox run} as users run it: real processes, real file locks, real signals. */
@Tag("process")
class RunProcessIT {

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

    @Test
    void sixJobsOnTwoPermitsNeverOverlapMoreThanTwo() throws Exception {
        Path log = temp.resolve("log");
        // Each job records, while it holds the permit, when it started and ended (appends are atomic).
        String job = "echo \"S $(date +%s%N)\" >> " + log + "; sleep 0.4; echo \"E $(date +%s%N)\" >> " + log;
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            runs.add(signalboxes.start("run", "--name", "six", "--permits", "2", "--", "sh", "-c", job));
        }
        for (Run run : runs) {
            assertThat(run.exitCode()).as(run.stderr()).isZero();
        }
        List<long[]> events = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            String[] f = line.split(" ");
            events.add(new long[] {Long.parseLong(f[1]), f[0].equals("S") ? 1 : -1});
        }
        // Ends before starts at the same instant: a job that ended does not overlap one that began then.
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int running = 0;
        int most = 0;
        for (long[] e : events) {
            running += (int) e[1];
            most = Math.max(most, running);
        }
        assertThat(events).hasSize(12);
        assertThat(most).as("jobs running at once").isBetween(1, 2);
    }

    @Test
    void theCommandsExitCodeIsSignalboxsExitCode() throws Exception {
        assertThat(signalboxes.start("run", "--", "sh", "-c", "exit 42").exitCode()).isEqualTo(42);
        assertThat(signalboxes.start("run", "--", "true").exitCode()).isZero();
        // Ended by a signal: 128 + its number, as shells report it.
        assertThat(signalboxes.start("run", "--", "sh", "-c", "kill -TERM $$").exitCode()).isEqualTo(143);
    }

    @Test
    void aCommandThatIsNotFoundExits127WithOneLine() throws Exception {
        Run run = signalboxes.start("run", "--", "no-such-command-here");
        assertThat(run.exitCode()).isEqualTo(127);
        assertThat(run.stderr()).isEqualTo("signalbox: no-such-command-here: command not found\n");
    }

    @Test
    void stdinAndStdoutAreTheCommands() throws Exception {
        Run run = signalboxes.start("run", "--", "cat");
        run.process().getOutputStream().write("through\n".getBytes());
        run.process().getOutputStream().close();
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).isEqualTo("through\n");
    }

    @Test
    void aTimeoutExitsNonZeroWithOneLineAndRunsNothing() throws Exception {
        Run holder = signalboxes.start("run", "--name", "t", "--", "sleep", "30");
        signalboxes.awaitHeld("t", 1);
        Path ran = temp.resolve("ran");
        Run late = signalboxes.start("run", "--name", "t", "--timeout", "300ms", "--", "touch", ran.toString());
        assertThat(late.exitCode()).isEqualTo(75);
        assertThat(late.stderr()).startsWith("signalbox: timed out after 300ms waiting for a permit of 't'")
                .contains("1 of 1 permits held by " + holder.pid() + " (sleep 30)").hasLineCount(1);
        assertThat(ran).doesNotExist();
    }

    @Test
    void killingAHolderWithSigkillFreesItsPermitAtOnce() throws Exception {
        Run holder = signalboxes.start("run", "--name", "k", "--", "sleep", "30");
        signalboxes.awaitHeld("k", 1);
        Path ran = temp.resolve("ran");
        Run waiter = signalboxes.start("run", "--name", "k", "--", "touch", ran.toString());
        signalboxes.awaitWaiting("k", waiter);
        long killed = System.nanoTime();
        holder.process().destroyForcibly(); // SIGKILL: no chance to release anything itself
        assertThat(waiter.exitCode()).isZero();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertThat(ran).exists();
        // The waiter is already started and queued: what remains is noticing (at most 100 ms) and running touch.
        assertThat(tookMillis).as("from kill -9 of the holder to the waiter's command done").isLessThan(2_000);
    }

    @Test
    void killingSignalboxWithSigkillKillsItsCommand() throws Exception {
        Run run = signalboxes.start("run", "--", "sleep", "30");
        ProcessHandle child = run.child();
        // The child passes through setpriv, which execs the command in the same process.
        Signalboxes.awaitTrue("the child runs sleep", () -> child.info().command().orElse("").endsWith("/sleep"));
        run.process().destroyForcibly();
        // The kernel sends the command SIGKILL when signalbox's spawning thread dies (setpriv --pdeathsig).
        assertThat(child.onExit().get(Signalboxes.LIMIT.toSeconds(), TimeUnit.SECONDS).isAlive()).isFalse();
    }

    @Test
    void sigtermToSignalboxReachesTheCommandAndItsExitCodeComesBack() throws Exception {
        Path trapped = temp.resolve("trapped");
        Path ready = temp.resolve("ready");
        Run run = signalboxes.start("run", "--", "sh", "-c", "trap 'echo got-term > " + trapped
                + "; exit 7' TERM; touch " + ready + "; while :; do sleep 0.05; done");
        // The command's trap is set: from now on a SIGTERM it gets runs the trap.
        Signalboxes.awaitTrue("the command is ready", () -> Files.exists(ready));
        run.process().destroy(); // SIGTERM to signalbox only; the command hears of it through signalbox
        assertThat(run.exitCode()).isEqualTo(7);
        assertThat(Files.readString(trapped)).isEqualTo("got-term\n");
        assertThat(signalboxes.snapshot("default").held()).isZero();
    }

    @Test
    void sigintToSignalboxOffATerminalReachesTheCommand() throws Exception {
        Path trapped = temp.resolve("trapped");
        Path ready = temp.resolve("ready");
        Run run = signalboxes.start("run", "--", "sh", "-c", "trap 'echo got-int > " + trapped
                + "; exit 9' INT; touch " + ready + "; while :; do sleep 0.05; done");
        Signalboxes.awaitTrue("the command is ready", () -> Files.exists(ready));
        // Not on a terminal, so nothing else sends the command this SIGINT: signalbox must.
        assertThat(new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor()).isZero();
        assertThat(run.exitCode()).isEqualTo(9);
        assertThat(Files.readString(trapped)).isEqualTo("got-int\n");
    }

    @Test
    void anInsecureStateDirectoryIsRefusedAndNothingRuns() throws Exception {
        Path open = Files.createDirectory(temp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path ran = temp.resolve("ran");
        Run run = signalboxes.start(open, "run", "--", "touch", ran.toString());
        assertThat(run.exitCode()).isEqualTo(70);
        assertThat(run.stderr()).contains("refusing state directory " + open).contains("writable by group or others")
                .hasLineCount(1);

        Path link = temp.resolve("link");
        Path real = Files.createDirectory(temp.resolve("real"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(link, real);
        Run viaLink = signalboxes.start(link, "run", "--", "touch", ran.toString());
        assertThat(viaLink.exitCode()).isEqualTo(70);
        assertThat(viaLink.stderr()).contains("is a symbolic link");
        assertThat(ran).doesNotExist();
    }

    @Test
    void waitingProcessesUseNoMeasurableCpu() throws Exception {
        Run holder = signalboxes.start("run", "--name", "cpu", "--", "sleep", "30");
        signalboxes.awaitHeld("cpu", 1);
        List<Run> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Run waiter = signalboxes.start("run", "--name", "cpu", "--", "true");
            signalboxes.awaitWaiting("cpu", waiter);
            waiters.add(waiter);
        }
        // Let the JVMs finish starting (JIT, class loading); then measure waiting alone.
        Thread.sleep(1_000);
        long[] before = cpuTicks(waiters);
        long start = System.nanoTime();
        Thread.sleep(4_000);
        long[] after = cpuTicks(waiters);
        double seconds = (System.nanoTime() - start) / 1e9;
        for (int i = 0; i < waiters.size(); i++) {
            double percent = 100.0 * (after[i] - before[i]) / CLOCK_TICKS / seconds;
            System.out.printf("waiter %d (pid %d): %.2f%% CPU over %.1f s%n", i, waiters.get(i).pid(), percent, seconds);
            assertThat(percent).as("CPU of waiter %d", i).isLessThan(1.0);
        }
        holder.process().destroyForcibly();
        for (Run waiter : waiters) {
            assertThat(waiter.exitCode()).isZero();
        }
    }

    /** USER_HZ: the unit of utime and stime in /proc/PID/stat; 100 on every Linux architecture we run on. */
    private static final double CLOCK_TICKS = 100.0;

    private static long[] cpuTicks(List<Run> runs) throws IOException {
        long[] ticks = new long[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            String stat = Files.readString(Path.of("/proc", Long.toString(runs.get(i).pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks[i] = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        }
        return ticks;
    }
}
