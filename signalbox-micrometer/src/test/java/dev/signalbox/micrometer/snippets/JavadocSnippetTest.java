package dev.signalbox.micrometer.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.signalbox.snippets.InlineSnippets;

@Tag("unit")
class JavadocSnippetTest {

    @Test
    void everyJavadocExampleIsTheCodeTheTestBuildCompiles() throws IOException {
        List<InlineSnippets.Checked> snippets = InlineSnippets.check(Path.of("src/main/java"), Path.of("src/test/java"));

        assertThat(snippets).hasSize(1);
        assertThat(snippets).filteredOn(s -> !s.matches()).isEmpty();
    }
}
