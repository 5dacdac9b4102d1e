package dev.signalbox.snippets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks that each hybrid {@code {@snippet class=... region=... : ...}} in a module's main sources
 * shows exactly the code of its region in the test sources, which the test build compiles. javadoc
 * makes the same check, but runs outside {@code mvn verify}; this keeps an inline copy that drifted
 * from the compiled example from passing the build.
 */
public final class InlineSnippets {

    private static final Pattern HYBRID = Pattern.compile("\\{@snippet class=(\\S+) region=(\\S+) :\\R");
    private static final Pattern COMMENT_PREFIX = Pattern.compile("^\\s*\\* ?");

    private InlineSnippets() {}

    /** One hybrid snippet: where it is, and whether its inline copy matches its region. */
    public record Checked(String where, List<String> inline, List<String> external) {
        public boolean matches() {
            return inline.equals(external);
        }

        @Override
        public String toString() {
            return where + "\n--- inline ---\n" + String.join("\n", inline)
                    + "\n--- external ---\n" + String.join("\n", external);
        }
    }

    /** Every hybrid snippet under {@code mainSources}, each compared with its region under {@code snippetPath}. */
    public static List<Checked> check(Path mainSources, Path snippetPath) throws IOException {
        List<Checked> checked = new ArrayList<>();
        try (Stream<Path> files = Files.walk(mainSources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String source = Files.readString(file);
                Matcher hybrid = HYBRID.matcher(source);
                while (hybrid.find()) {
                    String className = hybrid.group(1);
                    String region = hybrid.group(2);
                    Path external = snippetPath.resolve(className.replace('.', '/') + ".java");
                    checked.add(new Checked(mainSources.relativize(file) + ": " + className + " region=" + region,
                            inlineBody(source, hybrid.end()), region(external, region)));
                }
            }
        }
        return checked;
    }

    /** The code of a snippet tag whose body starts at {@code start}: up to the brace that closes the tag. */
    private static List<String> inlineBody(String source, int start) {
        int depth = 1;
        int end = start;
        while (depth > 0) {
            char c = source.charAt(end++);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            }
        }
        List<String> lines = new ArrayList<>();
        for (String line : source.substring(start, end - 1).split("\\R", -1)) {
            lines.add(COMMENT_PREFIX.matcher(line).replaceFirst(""));
        }
        return trimmed(lines);
    }

    /** The lines between {@code // @start region=name :} and the next {@code // @end}, unindented. */
    private static List<String> region(Path file, String name) {
        List<String> all;
        try {
            all = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("snippet file " + file + " cannot be read", e);
        }
        String start = "// @start region=" + name + " :";
        int first = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).strip().equals(start)) {
                first = i + 1;
                break;
            }
        }
        if (first < 0) {
            return List.of("<no region '" + name + "' in " + file + ">");
        }
        List<String> lines = new ArrayList<>();
        for (int i = first; i < all.size() && !all.get(i).strip().equals("// @end"); i++) {
            lines.add(all.get(i));
        }
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return trimmed(lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
    }

    /** Without trailing spaces, and without blank lines at either end. */
    private static List<String> trimmed(List<String> lines) {
        List<String> result = new ArrayList<>(lines.stream().map(String::stripTrailing).toList());
        while (!result.isEmpty() && result.getFirst().isEmpty()) {
            result.removeFirst();
        }
        while (!result.isEmpty() && result.getLast().isEmpty()) {
            result.removeLast();
        }
        return result;
    }
}
