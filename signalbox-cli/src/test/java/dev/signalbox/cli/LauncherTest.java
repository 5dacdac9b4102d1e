package dev.signalbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/signalbox} from a clean checkout: it runs on a copy of the working tree's sources (no
 * {@code target} directories), so its Maven build never touches the build running this test.
 * The tests run in order, each starting from the state the previous one left.
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherTest {

    /** A first build downloads nothing (the test's own build has resolved everything) but is slow on a busy machine. */
    private static final long TIMEOUT_MINUTES = 5;
    private static final Set<String> NOT_COPIED = Set.of("target", ".git", ".idea");

    @TempDir
    static Path checkout;

    private Path jar;
    private Path source;

    @BeforeAll
    void copyTheSourcesAsACleanCheckout() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("bin/signalbox")).as("the launcher beside this module").isExecutable();
        copy(root, checkout);
        jar = checkout.resolve("signalbox-cli/target/signalbox.jar");
        source = checkout.resolve("signalbox-cli/src/main/java/dev/signalbox/cli/ExitCodes.java");
    }

    @Test
    @Order(1)
    void buildsTheJarOnFirstUseSilentlyAndRunsIt() throws Exception {
        assertThat(jar).doesNotExist();

        Result result = launch("--version");

        assertThat(result.stderr).isEmpty();
        assertThat(result.stdout).isEqualTo("signalbox 0.1.0-SNAPSHOT\n");
        assertThat(result.exit).isZero();
        assertThat(jar).isRegularFile();
        assertThat(jar.resolveSibling("signalbox.jsa")).as("the class-data archive").isRegularFile();
    }

    @Test
    @Order(2)
    void buildsNothingWhenTheJarIsFresh() throws Exception {
        FileTime built = Files.getLastModifiedTime(jar);

        Result result = launch("demo", "--hold", "0ms");

        assertThat(result.stderr).isEmpty();
        assertThat(result.stdout.lines()).containsExactly(
                "Successfully acquired the semaphore", "Successfully acquired the semaphore",
                "Releasing Semaphore", "Releasing Semaphore", "Successfully acquired the semaphore",
                "Releasing Semaphore", "Main Coroutine", "All Workers Completed");
        assertThat(result.exit).isZero();
        assertThat(Files.getLastModifiedTime(jar)).isEqualTo(built);
    }

    @Test
    @Order(3)
    void passesEveryArgumentAndTheExitCode() throws Exception {
        Result result = launch("demo", "--hold", "two seconds");

        assertThat(result.stdout).isEmpty();
        assertThat(result.stderr.lines()).containsExactly(
                "signalbox: --hold: invalid duration 'two seconds' (use e.g. 250ms, 3s, 2m or PT3S)",
                "Try 'signalbox demo --help' for more information.");
        assertThat(result.exit).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    @Order(4)
    void rebuildsWhenASourceIsNewerThanTheJar() throws Exception {
        FileTime built = Files.getLastModifiedTime(jar);
        Files.setLastModifiedTime(source, FileTime.fromMillis(built.toMillis() + 2_000));

        Result result = launch("--version");

        assertThat(result.stderr).isEmpty();
        assertThat(result.stdout).isEqualTo("signalbox 0.1.0-SNAPSHOT\n");
        assertThat(Files.getLastModifiedTime(jar)).isGreaterThan(built);
        assertThat(Files.getLastModifiedTime(jar.resolveSibling("signalbox.jsa.jdk")))
                .as("the class-data archive, remade for the new jar")
                .isGreaterThanOrEqualTo(Files.getLastModifiedTime(jar));
    }

    @Test
    @Order(5)
    void showsMavensOutputAndRunsNothingWhenTheBuildFails() throws Exception {
        Files.writeString(source, "package dev.signalbox.cli; this does not compile", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(source, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 2_000));

        Result result = launch("--version");

        assertThat(result.stdout).isEmpty();
        assertThat(result.stderr).contains("ExitCodes.java", "COMPILATION ERROR")
                .endsWith("signalbox: building the command line failed (Maven's output above)\n");
        assertThat(result.exit).isEqualTo(1);
    }

    private Result launch(String... args) throws Exception {
        Path out = Files.createTempFile(checkout, "stdout", ".txt");
        Path err = Files.createTempFile(checkout, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(
                Stream.concat(Stream.of(checkout.resolve("bin/signalbox").toString()), Stream.of(args)).toList())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // As on a fresh machine: the launcher finds the JDK by itself.
        builder.environment().remove("JAVA_HOME");
        builder.environment().remove("SIGNALBOX_JAVA_OPTS");
        Process launcher = builder.start();
        try {
            assertThat(launcher.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES))
                    .as("bin/signalbox %s finished within %d minutes", List.of(args), TIMEOUT_MINUTES)
                    .isTrue();
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
        return new Result(launcher.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (!dir.equals(from) && NOT_COPIED.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (!NOT_COPIED.contains(file.getFileName().toString())) {
                    Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private record Result(int exit, String stdout, String stderr) {}
}
