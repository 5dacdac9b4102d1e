package dev.signalbox.internal.file;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.signalbox.MachineSemaphore;
import dev.signalbox.Permit;
import dev.signalbox.Semaphore;

/**
 * A semaphore of N permits shared by every process of one user, on POSIX record locks
 * ({@code fcntl}, which is what {@link FileChannel#lock} takes on Linux): one per semaphore
 * directory per JVM, shared by every {@link MachineSemaphore} handle on it.
 *
 * <p>Files, in {@code <state dir>/<name>/}: {@code meta} (the permit count, written once),
 * {@code door.lock}, {@code slot-<i>.lock} and {@code holder-<i>} for each permit, and
 * {@code bell}.
 */
public final class FileSemaphore {

    /** Open semaphores of this JVM by their directory: one set of channels per file, ever. */
    private static final Map<Path, FileSemaphore> OPEN = new HashMap<>(); // guarded by itself

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_RW =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final Set<StandardOpenOption> LOCKABLE = Set.of(StandardOpenOption.READ,
            StandardOpenOption.WRITE, StandardOpenOption.CREATE);
    /** The longest the door holder sleeps without looking at the slots: how soon it notices a crashed holder. */
    static final long MAX_RESCAN_MILLIS = 100;
    /** When positive, every sleep between rescans lasts this long: for the test that proves the bell wakes the head. */
    static volatile long rescanOverrideMillis;
    private static final long FIRST_RESCAN_MILLIS = 5;

    private final Path dir;
    private final Path key;
    private final String name;
    private final int permits;
    /** The in-process FIFO queue: one local request at a time goes on to the door. */
    private final Semaphore gate = Semaphore.of(1);
    /** Runs every lock call on door and slots: a platform thread nobody interrupts (an interrupt would close the channel). */
    private final ExecutorService doorThread;

    /** Guards everything below, and every acquisition's state. */
    private final Object lock = new Object();
    private int users;
    private boolean closed;
    private FileChannel door; // replaced when a withdrawal aborts a blocked lock() by closing it
    private final FileChannel[] slots;
    /** The slot locks this JVM holds; null where it holds none. */
    private final FileLock[] held;
    private final Set<FileAcquisition> pending = new LinkedHashSet<>();
    private final RandomAccessFile bell;
    private WatchService watcher; // door thread only

    /*
     * Implementation notes.
     *
     * Locks belong to the process, not to a thread, and closing any channel to a file drops all of
     * the process's locks on it. So: one channel per file for the JVM's lifetime (the registry
     * OPEN); the in-process gate decides which local request goes on; only the door thread ever
     * calls the blocking lock(), and nobody interrupts it (an interrupt would close the channel).
     * tryLock() is not interruptible: any thread may call it.
     *
     * Fast path, on the caller's thread: if the gate is free (nobody local waits), tryLock the door
     * and tryLock w free slots; if anything is busy, give back what was taken and queue.
     *
     * Acquire(w), on the door thread, for the request at the head of the gate:
     *   1. lock door.lock, blocking in the kernel: processes queue here in (about) arrival order,
     *      using no CPU, and a newcomer cannot pass them;
     *   2. holding the door, tryLock free slots until w are held. Only the door holder takes slots,
     *      so holding some while waiting for more cannot deadlock, and a large request at the head
     *      holds back smaller ones behind it (no starvation);
     *   3. if short, sleep on the bell: an inotify watch on the directory that every release rings
     *      by writing one byte, with a rescan at least every MAX_RESCAN_MILLIS for holders that
     *      died without ringing (the kernel dropped their locks, nothing rang);
     *   4. write the holder records, unlock the door, hand the slots over.
     *
     * A request's life (edges under `lock`):
     *
     *   QUEUED --gate pass--> AT_DOOR --door locked--> COLLECTING --w slots--> GRANTED
     *      |                     |                         |
     *      +---------------------+-------withdraw----------+--> ENDED
     *
     * Withdrawing in QUEUED cancels the gate pass; in AT_DOOR it closes the door channel, which
     * aborts the blocked lock() (the JVM holds no lock on the door then, so nothing is lost; the
     * door thread reopens it); in COLLECTING it rings the bell, and the door thread gives back
     * what it collected. GRANTED is final: from then on withdrawing fails and the caller owns the
     * slots.
     */

    private FileSemaphore(Path dir, Path key, String name, int permits) throws IOException {
        this.dir = dir;
        this.key = key;
        this.name = name;
        this.permits = permits;
        this.slots = new FileChannel[permits];
        this.held = new FileLock[permits];
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            door = openLockable(dir.resolve("door.lock"));
            opened.add(door);
            for (int i = 0; i < permits; i++) {
                slots[i] = openLockable(slotFile(dir, i));
                opened.add(slots[i]);
            }
            Path bellFile = dir.resolve("bell");
            if (!Files.exists(bellFile, LinkOption.NOFOLLOW_LINKS)) {
                openLockable(bellFile).close();
            }
            bell = new RandomAccessFile(bellFile.toFile(), "rw");
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        this.doorThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().daemon().name("signalbox-door-" + name).factory());
    }

    /**
     * Opens (creating if needed) the semaphore {@code name} of {@code permits} permits in
     * {@code stateDir}, or joins this JVM's open one. Arguments are checked by the caller.
     *
     * @throws IllegalArgumentException if the semaphore exists with a different number of permits
     */
    public static FileSemaphore open(Path stateDir, String name, int permits) throws IOException {
        StateDirectory.prepare(stateDir);
        Path dir = StateDirectory.prepare(stateDir.resolve(name));
        Path key = dir.toRealPath();
        synchronized (OPEN) {
            FileSemaphore open = OPEN.get(key);
            if (open == null) {
                checkPermits(name, dir, ensureMeta(dir, permits), permits);
                open = new FileSemaphore(dir, key, name, permits);
                OPEN.put(key, open);
            }
            checkPermits(name, dir, open.permits, permits);
            synchronized (open.lock) {
                open.users++;
            }
            return open;
        }
    }

    private static void checkPermits(String name, Path dir, int stored, int asked) {
        if (stored != asked) {
            throw new IllegalArgumentException("semaphore '" + name + "' has " + stored + " permits, asked for "
                    + asked + "; every user of a semaphore must ask for the same number (to change it, stop its"
                    + " users and delete " + dir + ")");
        }
    }

    /** Writes {@code meta} if missing (atomically: a complete file or none), and returns the stored count. */
    private static int ensureMeta(Path dir, int permits) throws IOException {
        Path meta = dir.resolve("meta");
        if (!Files.exists(meta, LinkOption.NOFOLLOW_LINKS)) {
            Path draft = dir.resolve("meta." + ProcessHandle.current().pid() + "." + System.nanoTime());
            Files.writeString(Files.createFile(draft, OWNER_RW),
                    "permits=" + permits + "\ncreated=" + Instant.now().getEpochSecond() + "\n", StandardCharsets.UTF_8);
            try {
                Files.createLink(meta, draft);
            } catch (FileAlreadyExistsException raced) {
                // Another process created it first; its count is the semaphore's.
            } finally {
                Files.delete(draft);
            }
        }
        return readPermits(dir).orElseThrow(() -> new IOException("unreadable " + meta + ": expected a line permits=N"));
    }

    static Optional<Integer> readPermits(Path dir) {
        try {
            for (String line : Files.readAllLines(dir.resolve("meta"), StandardCharsets.UTF_8)) {
                if (line.startsWith("permits=")) {
                    return Optional.of(Integer.parseInt(line.substring("permits=".length()).trim()));
                }
            }
        } catch (IOException | NumberFormatException unreadable) {
            // Reported as missing: the caller says what it expected.
        }
        return Optional.empty();
    }

    private static FileChannel openLockable(Path file) throws IOException {
        Set<java.nio.file.OpenOption> options = new java.util.HashSet<>(LOCKABLE);
        options.add(LinkOption.NOFOLLOW_LINKS);
        return FileChannel.open(file, options, OWNER_RW);
    }

    static Path slotFile(Path dir, int slot) {
        return dir.resolve("slot-" + slot + ".lock");
    }

    static Path holderFile(Path dir, int slot) {
        return dir.resolve("holder-" + slot);
    }

    public String name() {
        return name;
    }

    public int permits() {
        return permits;
    }

    public Path directory() {
        return dir;
    }

    // ---------------------------------------------------------------- acquiring

    /**
     * Requests {@code n} slots. If they can be taken without waiting, they are, on the calling
     * thread, and the future is complete on return. Otherwise, in try mode, the future completes
     * with {@code null} at once; else the request queues. With {@code deliverInline} the future is
     * completed on the door thread, so only a caller blocked on it may see it.
     */
    public CompletableFuture<Permit> acquire(int n, boolean tryOnly, boolean deliverInline, String holderCommand) {
        FileAcquisition a = new FileAcquisition(this, n, deliverInline, holderCommand);
        Permit now = takeIfFree(n, holderCommand);
        if (now != null || tryOnly) {
            synchronized (lock) {
                a.state = FileAcquisition.GRANTED;
            }
            a.deliver(now);
            return a;
        }
        synchronized (lock) {
            if (closed) {
                a.fail(new IllegalStateException("machine semaphore '" + name + "' is closed"));
                return a;
            }
            pending.add(a);
        }
        CompletableFuture<Permit> pass = gate.acquirePermitAsync();
        a.gatePass = pass;
        pass.whenComplete((gatePass, failure) -> {
            if (failure != null) {
                return; // withdrawn while queued: the gate has forgotten it already
            }
            try {
                doorThread.execute(() -> atDoor(a, gatePass));
            } catch (RejectedExecutionException closedMeanwhile) {
                gatePass.close();
                end(a, null, new IllegalStateException("machine semaphore '" + name + "' is closed"));
            }
        });
        return a;
    }

    /**
     * Takes {@code n} slots on the calling thread if that needs no waiting: nobody in this JVM is
     * queued or at the door, the door is free, and so are enough slots. This is the common case,
     * and costs no thread hop. {@code tryLock}, unlike {@code lock}, is not interruptible, so any
     * thread may call it without putting the channels at risk.
     *
     * @return the permit, or null if anything would have to wait
     * @throws IllegalStateException if the semaphore is closed
     */
    private Permit takeIfFree(int n, String holderCommand) {
        // No overtaking: this fails while any local request is queued, like Semaphore.tryAcquire.
        if (!gate.tryAcquire()) {
            return null;
        }
        FileLock doorLock = null;
        int[] mine = new int[n];
        int count = 0;
        try {
            FileChannel doorChannel;
            synchronized (lock) {
                if (closed) {
                    throw new IllegalStateException("machine semaphore '" + name + "' is closed");
                }
                if (!door.isOpen()) {
                    reopenDoor(); // a withdrawal closed it to abort an earlier lock()
                }
                doorChannel = door;
            }
            doorLock = doorChannel.tryLock();
            if (doorLock == null) {
                return null; // another process is at the door: queue behind it
            }
            for (int i = 0; i < permits && count < n; i++) {
                if (tryLockSlot(i)) {
                    mine[count++] = i;
                }
            }
            if (count < n) {
                return null;
            }
            recordHolder(mine, holderCommand);
            count = 0; // handed over: the finally block must not give them back
            return new FilePermit(this, mine);
        } catch (ClosedChannelException closedMeanwhile) {
            throw new IllegalStateException("machine semaphore '" + name + "' is closed", closedMeanwhile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (count > 0) {
                unlockSlots(java.util.Arrays.copyOf(mine, count));
            }
            if (doorLock != null) {
                releaseDoor(doorLock);
            }
            gate.release();
        }
    }

    private void recordHolder(int[] slotIndices, String holderCommand) throws IOException {
        HolderRecord record = new HolderRecord(ProcessHandle.current().pid(), Host.name(), holderCommand,
                Instant.now());
        for (int slot : slotIndices) {
            record.writeTo(holderFile(dir, slot));
        }
    }

    /** Runs on the door thread once {@code a} has passed the gate. */
    private void atDoor(FileAcquisition a, Permit gatePass) {
        int[] collected = null;
        FileLock doorLock = null;
        try {
            synchronized (lock) {
                if (a.state != FileAcquisition.QUEUED || closed) {
                    return;
                }
                a.state = FileAcquisition.AT_DOOR;
            }
            for (;;) {
                FileChannel doorChannel;
                synchronized (lock) {
                    if (a.state != FileAcquisition.AT_DOOR || closed) {
                        return;
                    }
                    if (!door.isOpen()) {
                        reopenDoor(); // a withdrawal closed it to abort an earlier lock()
                    }
                    doorChannel = door;
                }
                try {
                    doorLock = doorChannel.lock();
                    break;
                } catch (ClosedChannelException aborted) {
                    // Withdrawn: the loop ends. (Closed by leave(): the loop ends too.)
                } catch (OverlappingFileLockException impossible) {
                    throw new IllegalStateException("door of '" + name + "' locked twice in one JVM", impossible);
                }
            }
            synchronized (lock) {
                if (a.state != FileAcquisition.AT_DOOR) {
                    return;
                }
                a.state = FileAcquisition.COLLECTING;
            }
            collected = collect(a);
            if (collected == null) {
                return;
            }
            recordHolder(collected, a.holderCommand);
            synchronized (lock) {
                if (a.state != FileAcquisition.COLLECTING) {
                    return; // withdrawn at the last moment: the finally block gives the slots back
                }
                a.state = FileAcquisition.GRANTED;
                pending.remove(a);
            }
            FilePermit permit = new FilePermit(this, collected);
            collected = null;
            releaseDoor(doorLock);
            doorLock = null;
            gatePass.close();
            gatePass = null;
            if (a.deliverInline) {
                a.deliver(permit);
            } else {
                // Never run the caller's callbacks on the door thread: one that waits for the
                // semaphore again would wait for itself.
                Thread.ofVirtual().name("signalbox-grant").start(() -> a.deliver(permit));
            }
        } catch (IOException e) {
            end(a, null, new UncheckedIOException(e));
        } catch (RuntimeException | Error e) {
            end(a, null, e);
            throw e;
        } finally {
            if (collected != null) {
                unlockSlots(collected);
            }
            if (doorLock != null) {
                releaseDoor(doorLock);
            }
            if (gatePass != null) {
                gatePass.close();
            }
            // Still pending here only if the semaphore was closed under it.
            end(a, null, closedWhileWaiting());
        }
    }

    /**
     * Holding the door, collects {@code a.permits} slots.
     *
     * @return the slots, or null if withdrawn; then none is held
     */
    private int[] collect(FileAcquisition a) throws IOException {
        int[] mine = new int[a.permits];
        int count = 0;
        boolean watching = false;
        long sleep = FIRST_RESCAN_MILLIS;
        try {
            for (;;) {
                for (int i = 0; i < permits && count < mine.length; i++) {
                    if (tryLockSlot(i)) {
                        mine[count++] = i;
                    }
                }
                if (count == mine.length) {
                    int[] result = mine;
                    mine = null;
                    return result;
                }
                if (!watching) {
                    // Watch first, then look again: a release between the scan and the watch rang unheard.
                    watchBell();
                    watching = true;
                    continue;
                }
                synchronized (lock) {
                    if (a.state != FileAcquisition.COLLECTING) {
                        return null;
                    }
                }
                WatchKey rung;
                try {
                    long override = rescanOverrideMillis;
                    rung = watcher.poll(override > 0 ? override : sleep, TimeUnit.MILLISECONDS);
                } catch (InterruptedException notOurs) {
                    // Nobody interrupts the door thread; keep its channels safe all the same.
                    Thread.interrupted();
                    rung = null;
                }
                if (rung != null) {
                    rung.pollEvents();
                    rung.reset();
                    sleep = FIRST_RESCAN_MILLIS;
                } else {
                    sleep = Math.min(sleep * 2, MAX_RESCAN_MILLIS);
                }
            }
        } finally {
            if (mine != null && count > 0) {
                unlockSlots(java.util.Arrays.copyOf(mine, count));
            }
        }
    }

    private boolean tryLockSlot(int i) throws IOException {
        synchronized (lock) {
            if (held[i] != null || closed) {
                return false;
            }
        }
        FileLock slotLock;
        try {
            slotLock = slots[i].tryLock();
        } catch (OverlappingFileLockException busy) {
            return false;
        }
        if (slotLock == null) {
            return false;
        }
        synchronized (lock) {
            held[i] = slotLock;
        }
        return true;
    }

    private void watchBell() throws IOException {
        if (watcher == null) {
            watcher = dir.getFileSystem().newWatchService();
            dir.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
        }
    }

    private void releaseDoor(FileLock doorLock) {
        try {
            if (doorLock.isValid()) {
                doorLock.release();
            }
        } catch (ClosedChannelException closedByWithdrawal) {
            // The channel's close dropped the lock already.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (lock) {
            if (!door.isOpen() && !closed) {
                reopenDoor();
            }
        }
    }

    private void reopenDoor() {
        assert Thread.holdsLock(lock);
        try {
            door = openLockable(dir.resolve("door.lock"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends {@code a} if it has not ended: completes it with {@code value} or {@code failure}. */
    private void end(FileAcquisition a, Permit value, Throwable failure) {
        synchronized (lock) {
            if (a.state == FileAcquisition.GRANTED || a.state == FileAcquisition.ENDED) {
                return;
            }
            a.state = FileAcquisition.ENDED;
            pending.remove(a);
        }
        if (failure != null) {
            a.fail(failure);
        } else {
            a.deliver(value);
        }
    }

    /**
     * Withdraws {@code a} unless it was granted (or ended) first.
     *
     * @return true if withdrawn now
     */
    boolean withdraw(FileAcquisition a) {
        int was;
        synchronized (lock) {
            was = a.state;
            if (was == FileAcquisition.GRANTED || was == FileAcquisition.ENDED) {
                return false;
            }
            a.state = FileAcquisition.ENDED;
            pending.remove(a);
            if (was == FileAcquisition.AT_DOOR) {
                // The only way to abort a blocked lock(); the JVM holds no lock on the door now. Closed
                // under the lock, so it can only ever hit this request's wait: the door thread moves a
                // request past AT_DOOR under the lock too, and serves one request at a time.
                try {
                    door.close();
                } catch (IOException ignored) {
                    // Closing is all we wanted; the door thread reopens it.
                }
            }
        }
        if (was == FileAcquisition.QUEUED) {
            CompletableFuture<Permit> pass = a.gatePass;
            if (pass != null) {
                pass.cancel(false); // if it was granted already, the door thread closes it
            }
        } else if (was == FileAcquisition.COLLECTING) {
            ringBell(); // wake the door thread, which gives back what it collected
        }
        return true;
    }

    // ---------------------------------------------------------------- releasing

    /** Unlocks {@code slotIndices} (held by this JVM) and rings the bell for the head waiter. */
    void unlockSlots(int[] slotIndices) {
        synchronized (lock) {
            for (int i : slotIndices) {
                FileLock slotLock = held[i];
                held[i] = null;
                if (slotLock != null && slotLock.isValid()) {
                    try {
                        slotLock.release(); // keeps the channel open: closing it would drop more than this lock
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        ringBell();
    }

    private void ringBell() {
        synchronized (bell) {
            try {
                // One byte at offset 0: inotify reports IN_MODIFY, and the file never grows.
                bell.seek(0);
                bell.write(1);
            } catch (IOException closed) {
                // The semaphore was closed: nobody in this JVM listens any more.
            }
        }
    }

    // ---------------------------------------------------------------- closing

    /** Drops one user; the last one closes the channels, which gives back every slot this JVM holds. */
    public void leave() {
        List<FileAcquisition> abandoned;
        synchronized (OPEN) {
            synchronized (lock) {
                if (--users > 0) {
                    return;
                }
                closed = true;
                abandoned = new ArrayList<>(pending);
            }
            OPEN.remove(key);
        }
        for (FileAcquisition a : abandoned) {
            if (withdraw(a)) {
                a.fail(closedWhileWaiting());
            }
        }
        doorThread.shutdown();
        ringBell();
        try {
            doorThread.awaitTermination(MAX_RESCAN_MILLIS * 10, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            java.util.Arrays.fill(held, null);
            closeQuietly(door);
            for (FileChannel slot : slots) {
                closeQuietly(slot);
            }
            closeQuietly(watcher);
        }
        synchronized (bell) {
            closeQuietly(bell);
        }
    }

    private IllegalStateException closedWhileWaiting() {
        return new IllegalStateException("machine semaphore '" + name + "' was closed while waiting");
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // Closing releases; there is nothing else to do with a failure here.
            }
        }
    }

    // ---------------------------------------------------------------- observing

    /** How many local requests wait now (queued in the gate or at the door). */
    public int localWaiters() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /** How many slots this JVM holds now. */
    public int heldHere() {
        synchronized (lock) {
            int n = 0;
            for (FileLock l : held) {
                if (l != null) {
                    n++;
                }
            }
            return n;
        }
    }
}
