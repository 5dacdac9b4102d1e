package dev.signalbox.file;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.io.TempDir;

import dev.signalbox.MachineSemaphore;
import dev.signalbox.PermitSource;
import dev.signalbox.contract.PermitSourceContract;

/** The machine-wide semaphore keeps every {@link PermitSource} rule (within one process: FIFO). */
class MachineSemaphoreContractTest extends PermitSourceContract {

    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path stateDirectory;

    @Override
    protected PermitSource create(int permits) throws Exception {
        return MachineSemaphore.open(stateDirectory.resolve("state"), "contract-" + NAMES.incrementAndGet(), permits);
    }

    /** Each round crosses to the door thread and back; fewer rounds keep the test quick. */
    @Override
    protected int raceRounds() {
        return 100;
    }
}
