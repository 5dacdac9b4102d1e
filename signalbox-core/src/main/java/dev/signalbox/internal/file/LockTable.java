package dev.signalbox.internal.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's table of POSIX record locks, {@code /proc/locks} on Linux: who holds a file's lock
 * and who is blocked waiting for it, without touching the lock. {@code status} reads it, so looking
 * never takes a permit from anyone.
 *
 * <p>Blocked requests are listed after their blocker in the order the kernel queued them; that is
 * the order {@code signalbox} reports as "ahead of you".
 */
final class LockTable {

    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    /** One line: {@code pid} holds (or, if {@code blocked}, waits for) a lock on device {@code dev}, inode {@code inode}. */
    record Entry(long pid, boolean blocked, long major, long minor, long inode) {}

    private final List<Entry> entries;

    private LockTable(List<Entry> entries) {
        this.entries = entries;
    }

    /** The table now, or empty where the kernel does not publish it. */
    static Optional<LockTable> read() {
        if (!Files.isReadable(PROC_LOCKS)) {
            return Optional.empty();
        }
        try {
            List<Entry> entries = new ArrayList<>();
            for (String line : Files.readAllLines(PROC_LOCKS)) {
                parse(line, entries);
            }
            return Optional.of(new LockTable(entries));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    // e.g. "3: POSIX  ADVISORY  WRITE 1234 00:1f:5678 0 EOF" or "3: -> POSIX  ADVISORY  WRITE 1235 00:1f:5678 0 EOF"
    private static void parse(String line, List<Entry> into) {
        String[] f = line.trim().split("\\s+");
        int i = 1;
        boolean blocked = f.length > i && f[i].equals("->");
        if (blocked) {
            i++;
        }
        if (f.length < i + 6 || !f[i].equals("POSIX")) {
            return; // flock, OFD and lease lines are not ours: Java takes POSIX record locks
        }
        long pid = Long.parseLong(f[i + 3]);
        String[] id = f[i + 4].split(":");
        if (id.length != 3) {
            return;
        }
        into.add(new Entry(pid, blocked, Long.parseLong(id[0], 16), Long.parseLong(id[1], 16), Long.parseLong(id[2])));
    }

    /** The pid holding a lock on {@code file}, or -1 if it is not locked. */
    long holder(FileId file) {
        for (Entry e : entries) {
            if (!e.blocked() && file.matches(e)) {
                return e.pid();
            }
        }
        return -1;
    }

    /** The pids blocked waiting for a lock on {@code file}, in the kernel's queue order. */
    List<Long> blocked(FileId file) {
        List<Long> pids = new ArrayList<>();
        for (Entry e : entries) {
            if (e.blocked() && file.matches(e)) {
                pids.add(e.pid());
            }
        }
        return pids;
    }

    /** A file's identity as the lock table shows it. */
    record FileId(long major, long minor, long inode) {

        static FileId of(Path file) throws IOException {
            long dev = (Long) Files.getAttribute(file, "unix:dev");
            long inode = (Long) Files.getAttribute(file, "unix:ino");
            // Linux's encoding of dev_t (glibc gnu_dev_major / gnu_dev_minor).
            long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
            long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
            return new FileId(major, minor, inode);
        }

        boolean matches(Entry e) {
            return e.inode() == inode && e.major() == major && e.minor() == minor;
        }
    }
}
