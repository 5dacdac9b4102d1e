package dev.signalbox.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.signalbox.Await;
import dev.signalbox.MachineSemaphore;
import dev.signalbox.Permit;

/** What the machine-wide semaphore adds to the contract: names, its state directory, its files. */
@Tag("unit")
class MachineSemaphoreTest {

    @TempDir
    Path temp;

    private Path state() {
        return temp.resolve("state");
    }

    @Nested
    class Names {

        @ParameterizedTest
        @ValueSource(strings = {"", ".", "..", "../x", "a/b", "/etc", ".hidden", "a\u0000b", "tab\tname", "sp ace"})
        void namesThatCouldEscapeOrConfuseAreRefusedSayingWhatIsAllowed(String name) {
            assertThatThrownBy(() -> MachineSemaphore.open(state(), name, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("A-Z a-z 0-9 . _ -")
                    .hasMessageContaining("must not start with '.'");
        }

        @Test
        void aNameOverOneHundredCharactersIsRefused() throws Exception {
            assertThatThrownBy(() -> MachineSemaphore.open(state(), "x".repeat(101), 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 100 characters");
            MachineSemaphore.open(state(), "x".repeat(100), 1).close();
        }

        @Test
        void nullNameIsRefusedByName() {
            assertThatThrownBy(() -> MachineSemaphore.open(state(), null, 1))
                    .isInstanceOf(NullPointerException.class).hasMessage("name");
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1, MachineSemaphore.MAX_PERMITS + 1})
        void permitsOutOfRangeAreRefusedNamingTheValue(int permits) {
            assertThatThrownBy(() -> MachineSemaphore.open(state(), "ok", permits))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("permits must be between 1 and 1024, got " + permits);
        }
    }

    @Nested
    class StateDirectory {

        @Test
        void isCreatedForTheOwnerOnly() throws Exception {
            MachineSemaphore.open(state(), "s", 1).close();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state()))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state().resolve("s"))))
                    .isEqualTo("rwx------");
        }

        @Test
        void aSymbolicLinkIsRefused() throws Exception {
            Path real = Files.createDirectory(temp.resolve("real"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createSymbolicLink(state(), real);
            assertThatThrownBy(() -> MachineSemaphore.open(state(), "s", 1)).isInstanceOf(IOException.class)
                    .hasMessageContaining("refusing state directory").hasMessageContaining("is a symbolic link");
        }

        @ParameterizedTest
        @ValueSource(strings = {"rwxrwx---", "rwx---rwx", "rwxrwxrwx"})
        void aDirectoryOthersCanWriteIsRefused(String mode) throws Exception {
            Files.createDirectory(state());
            Files.setPosixFilePermissions(state(), PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> MachineSemaphore.open(state(), "s", 1)).isInstanceOf(IOException.class)
                    .hasMessageContaining("is writable by group or others");
        }

        @Test
        void aSemaphoreDirectoryOthersCanWriteIsRefused() throws Exception {
            MachineSemaphore.open(state(), "s", 1).close();
            Files.setPosixFilePermissions(state().resolve("s"), PosixFilePermissions.fromString("rwxrwxrwx"));
            assertThatThrownBy(() -> MachineSemaphore.open(state(), "s", 1)).isInstanceOf(IOException.class)
                    .hasMessageContaining("is writable by group or others");
        }

        @Test
        void aDirectoryOfAnotherUserIsRefused() throws Exception {
            Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file away");
            Files.createDirectory(state(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setAttribute(state(), "unix:uid", 54321, LinkOption.NOFOLLOW_LINKS);
            assertThatThrownBy(() -> MachineSemaphore.open(state(), "s", 1)).isInstanceOf(IOException.class)
                    .hasMessageContaining("belongs to uid 54321");
        }

        @Test
        void snapshotsOfAMissingDirectoryAreEmptyAndCreateNothing() throws Exception {
            assertThat(MachineSemaphore.snapshots(state())).isEmpty();
            assertThat(MachineSemaphore.snapshot(state(), "s")).isEmpty();
            assertThat(state()).doesNotExist();
        }
    }

    @Nested
    class PermitCount {

        @Test
        void isStoredWithTheSemaphoreAndADifferentCountIsRefused() throws Exception {
            try (MachineSemaphore first = MachineSemaphore.open(state(), "jobs", 3)) {
                assertThatThrownBy(() -> MachineSemaphore.open(state(), "jobs", 2))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("'jobs' has 3 permits, asked for 2");
            }
            // Also when nobody has it open: the count lives in the files, not in a process.
            assertThatThrownBy(() -> MachineSemaphore.open(state(), "jobs", 4))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'jobs' has 3 permits, asked for 4");
            assertThat(Files.readString(state().resolve("jobs/meta"))).contains("permits=3");
        }
    }

    @Nested
    class InOneProcess {

        @Test
        void twoHandlesOnOneNameShareItsPermits() throws Exception {
            try (MachineSemaphore a = MachineSemaphore.open(state(), "shared", 2);
                    MachineSemaphore b = MachineSemaphore.open(state(), "shared", 2)) {
                Permit fromA = a.acquirePermit();
                Permit fromB = b.acquirePermit();
                assertThat(a.tryAcquirePermit(Duration.ofMillis(50))).isEmpty();
                assertThat(b.tryAcquirePermit(Duration.ZERO)).isEmpty();
                fromA.close();
                b.tryAcquirePermit(Await.TIMEOUT).orElseThrow().close();
                fromB.close();
            }
        }

        @Test
        void closingOneHandleKeepsThePermitsOfAnother() throws Exception {
            try (MachineSemaphore keeper = MachineSemaphore.open(state(), "shared", 1)) {
                Permit held = keeper.acquirePermit();
                MachineSemaphore.open(state(), "shared", 1).close();
                // Closing a channel would drop this JVM's locks: the second handle must not have its own.
                assertThat(keeper.snapshot().held()).isEqualTo(1);
                assertThat(keeper.tryAcquirePermit(Duration.ZERO)).isEmpty();
                held.close();
            }
        }

        @Test
        void closingTheLastHandleFailsWaitersAndGivesBackWhatItHeld() throws Exception {
            MachineSemaphore semaphore = MachineSemaphore.open(state(), "closing", 1);
            Permit held = semaphore.acquirePermit();
            CompletableFuture<Permit> waiter = semaphore.acquirePermitAsync();
            semaphore.close();
            assertThat(Await.failure(waiter)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(semaphore::acquirePermit).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            try (MachineSemaphore again = MachineSemaphore.open(state(), "closing", 1)) {
                again.tryAcquirePermit(Duration.ZERO).orElseThrow().close();
            }
            held.close(); // after the close: nothing left to release, and no error
            semaphore.close();
        }

        @Test
        void aSnapshotListsHoldersWithTheirCommandAndSince() throws Exception {
            Instant before = Instant.now();
            try (MachineSemaphore plain = MachineSemaphore.open(state(), "seen", 3);
                    MachineSemaphore semaphore = plain.withHolderCommand("make test")) {
                assertThat(semaphore.snapshot().holders()).isEmpty();
                try (Permit two = semaphore.acquirePermit(2)) {
                    MachineSemaphore.Snapshot snapshot = semaphore.snapshot();
                    assertThat(snapshot.name()).isEqualTo("seen");
                    assertThat(snapshot.permits()).isEqualTo(3);
                    assertThat(snapshot.held()).isEqualTo(2);
                    assertThat(snapshot.holders()).singleElement().satisfies(h -> {
                        assertThat(h.pid()).isEqualTo(ProcessHandle.current().pid());
                        assertThat(h.command()).isEqualTo("make test");
                        assertThat(h.permits()).isEqualTo(2);
                        assertThat(h.since()).isBetween(before, Instant.now());
                        assertThat(h.host()).isNotBlank();
                    });
                    assertThat(snapshot.waiterPids()).isEmpty();
                }
                assertThat(semaphore.snapshot().holders()).isEmpty();
                assertThat(MachineSemaphore.snapshots(state())).extracting(MachineSemaphore.Snapshot::name)
                        .containsExactly("seen");
            }
        }

        @Test
        void aWaiterAtTheDoorIsListedAsWaiting() throws Exception {
            try (MachineSemaphore semaphore = MachineSemaphore.open(state(), "queue", 1)) {
                Permit held = semaphore.acquirePermit();
                CompletableFuture<Permit> waiter = semaphore.acquirePermitAsync();
                Await.until("the waiter reached the door", () -> !semaphore.snapshot().waiterPids().isEmpty());
                assertThat(semaphore.snapshot().waiterPids()).containsExactly(ProcessHandle.current().pid());
                held.close();
                Await.get(waiter).close();
            }
        }
    }
}
