package dev.signalbox.internal.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class HolderRecordTest {

    @TempDir
    Path temp;

    @Test
    void readsBackWhatItWroteWhateverTheCommandHoldsAndToTheNanosecond() throws Exception {
        HolderRecord record = new HolderRecord(4711, "ci-3", "sh -c 'printf \"a\\\\nb\\n\"'\nsecond line \\ end",
                Instant.ofEpochSecond(1_764_064_800L, 5_000));
        Path file = temp.resolve("holder-0");
        record.writeTo(file);
        assertThat(Files.readAllLines(file)).hasSize(4);
        assertThat(HolderRecord.readFrom(file)).contains(record);
    }

    @Test
    void aMissingOrHalfWrittenRecordReadsAsNone() throws Exception {
        assertThat(HolderRecord.readFrom(temp.resolve("none"))).isEmpty();
        Path torn = Files.writeString(temp.resolve("torn"), "pid=12\nhost=x\n");
        assertThat(HolderRecord.readFrom(torn)).isEmpty();
    }
}
