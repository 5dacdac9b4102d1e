package dev.signalbox.internal.file;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.signalbox.Permit;

/** Slots of a {@link FileSemaphore} held by this process: the first {@code close()} unlocks them. */
final class FilePermit implements Permit {

    private final FileSemaphore semaphore;
    private final int[] slots;
    private final AtomicBoolean released = new AtomicBoolean();

    FilePermit(FileSemaphore semaphore, int[] slots) {
        this.semaphore = semaphore;
        this.slots = slots;
    }

    @Override
    public int permits() {
        return slots.length;
    }

    @Override
    public boolean isReleased() {
        return released.get();
    }

    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            semaphore.unlockSlots(slots);
        }
    }

    @Override
    public String toString() {
        return "Permit[permits=" + slots.length + ", semaphore=" + semaphore.name() + (isReleased() ? ", released]" : "]");
    }
}
