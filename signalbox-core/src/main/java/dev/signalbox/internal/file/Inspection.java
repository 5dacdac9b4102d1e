package dev.signalbox.internal.file;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.signalbox.MachineSemaphore;

/**
 * Looks at machine-wide semaphores without taking part: reads the kernel's lock table for who
 * holds which slot and who waits at the door, and the holder records for what they run. Never
 * locks anything, so looking cannot delay anyone.
 */
public final class Inspection {

    private Inspection() {}

    /** Every semaphore in {@code stateDir}, by name; empty if the directory does not exist yet. */
    public static List<MachineSemaphore.Snapshot> all(Path stateDir) throws IOException {
        if (!Files.exists(stateDir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        StateDirectory.check(stateDir);
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(stateDir)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) && Files.exists(entry.resolve("meta"))) {
                    dirs.add(entry);
                }
            }
        }
        dirs.sort(Comparator.comparing(p -> p.getFileName().toString()));
        Optional<LockTable> table = LockTable.read();
        List<MachineSemaphore.Snapshot> snapshots = new ArrayList<>();
        for (Path dir : dirs) {
            inspect(dir, table).ifPresent(snapshots::add);
        }
        return snapshots;
    }

    /** The semaphore {@code name} in {@code stateDir}, or empty if nobody has created it. */
    public static Optional<MachineSemaphore.Snapshot> one(Path stateDir, String name) throws IOException {
        StateDirectory.checkName(name);
        if (!Files.exists(stateDir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        StateDirectory.check(stateDir);
        Path dir = stateDir.resolve(name);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        StateDirectory.check(dir);
        return inspect(dir, LockTable.read());
    }

    private static Optional<MachineSemaphore.Snapshot> inspect(Path dir, Optional<LockTable> table) throws IOException {
        Optional<Integer> permits = FileSemaphore.readPermits(dir);
        if (permits.isEmpty()) {
            return Optional.empty();
        }
        // One entry per holding process and acquisition: a weighted holder shows once, with its count.
        Map<HolderRecord, Integer> holders = new LinkedHashMap<>();
        for (int slot = 0; slot < permits.get(); slot++) {
            Path slotFile = FileSemaphore.slotFile(dir, slot);
            if (!Files.exists(slotFile)) {
                continue;
            }
            Optional<HolderRecord> record = HolderRecord.readFrom(FileSemaphore.holderFile(dir, slot));
            long lockedBy;
            if (table.isPresent()) {
                lockedBy = table.get().holder(LockTable.FileId.of(slotFile));
            } else {
                // No lock table here: trust records of live processes.
                lockedBy = record.filter(r -> ProcessHandle.of(r.pid()).isPresent()).map(HolderRecord::pid).orElse(-1L);
            }
            if (lockedBy < 0) {
                continue;
            }
            HolderRecord shown = record.filter(r -> r.pid() == lockedBy)
                    // Locked, but the record is not written yet (or lost): show what we know.
                    .orElse(new HolderRecord(lockedBy, Host.name(), "?", null));
            holders.merge(shown, 1, Integer::sum);
        }
        List<MachineSemaphore.Holder> holderList = new ArrayList<>();
        holders.forEach((r, n) -> holderList.add(new MachineSemaphore.Holder(r.pid(), r.host(), r.command(), r.since(), n)));
        List<Long> waiters = new ArrayList<>();
        Path door = dir.resolve("door.lock");
        if (table.isPresent() && Files.exists(door)) {
            LockTable.FileId doorId = LockTable.FileId.of(door);
            long head = table.get().holder(doorId);
            if (head >= 0) {
                waiters.add(head); // the door holder is the first waiter, collecting slots
            }
            waiters.addAll(table.get().blocked(doorId));
        }
        return Optional.of(new MachineSemaphore.Snapshot(dir.getFileName().toString(), permits.get(),
                List.copyOf(holderList), List.copyOf(waiters)));
    }
}
