package dev.signalbox.redis.internal;

/** What one client keeps touching on one semaphore: a queued request or a held lease. */
sealed interface Entry permits Request, Lease {

    /** The request id, which is also the lease id once granted. */
    String id();

    /** {@code 'w'} for a waiting request, {@code 'h'} for a held lease (as touch.lua reads it). */
    char kind();

    int weight();

    /**
     * Takes one outcome of a TOUCH: {@code HELD} (value: token), {@code QUEUED} (position),
     * {@code ENDED} (how it ended) or {@code LOST}.
     */
    void touched(String status, Object value, long sentNanos);
}
