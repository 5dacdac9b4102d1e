package dev.signalbox.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.signalbox.MachineSemaphore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code signalbox status}: who holds and who waits for machine-wide semaphores. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = Signalbox.Version.class,
        header = "Show who holds and who waits for this user's machine-wide semaphores.",
        description = {
            "For every semaphore (or the one --name gives): its permits, its holders (pid, host, command, since) "
                    + "and the processes waiting, head first. Looking takes no permit and delays nobody.",
            "",
            "--json prints one object, stable across versions (fields are only ever added):",
            "{\"version\":1, \"stateDirectory\":\"...\", \"semaphores\":[{\"name\":\"builds\", \"permits\":2, "
                    + "\"held\":1, \"holders\":[{\"pid\":4711, \"host\":\"ci-3\", \"command\":\"make test\", "
                    + "\"since\":\"2026-11-25T10:00:00Z\", \"permits\":1}], \"waiting\":1, \"waiters\":[4712]}]}",
            ""
        })
final class StatusCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", description = "Only this semaphore.")
    String name;

    @Option(names = "--json", description = "Print JSON (see above) instead of text.")
    boolean json;

    @Option(names = "--redis", paramLabel = "URI",
            description = "Show the cluster-wide semaphore --name (default '" + CommandRunner.DEFAULT_NAME
                    + "') on this Redis server instead. Default: $SIGNALBOX_REDIS if set.")
    String redis;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String uri = RedisRunner.uri(redis);
        if (uri != null) {
            return RedisStatus.print(uri, name == null ? CommandRunner.DEFAULT_NAME : name, json, out, err);
        }
        Path stateDirectory = MachineSemaphore.defaultStateDirectory();
        List<MachineSemaphore.Snapshot> snapshots;
        try {
            if (name == null) {
                snapshots = MachineSemaphore.snapshots(stateDirectory);
            } else {
                Optional<MachineSemaphore.Snapshot> one = MachineSemaphore.snapshot(stateDirectory, name);
                if (one.isEmpty()) {
                    err.println("signalbox: no semaphore named '" + name + "' in " + stateDirectory);
                    return ExitCodes.FAILURE;
                }
                snapshots = List.of(one.get());
            }
        } catch (IllegalArgumentException badName) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--name: " + badName.getMessage());
        } catch (IOException unusable) {
            err.println("signalbox: " + unusable.getMessage());
            return ExitCodes.CANNOT_RUN;
        }
        out.print(json ? toJson(stateDirectory, snapshots) : toText(stateDirectory, snapshots, Instant.now()));
        out.flush();
        return ExitCodes.OK;
    }

    static String toText(Path stateDirectory, List<MachineSemaphore.Snapshot> snapshots, Instant now) {
        if (snapshots.isEmpty()) {
            return "no semaphores in " + stateDirectory + "\n";
        }
        StringBuilder text = new StringBuilder();
        for (MachineSemaphore.Snapshot s : snapshots) {
            text.append(s.name()).append(": ").append(s.held()).append(" of ").append(s.permits())
                    .append(s.permits() == 1 ? " permit" : " permits").append(" held, ")
                    .append(s.waiterPids().size()).append(" waiting\n");
            for (MachineSemaphore.Holder h : s.holders()) {
                text.append("  pid ").append(h.pid()).append('@').append(h.host());
                if (h.permits() > 1) {
                    text.append(" (").append(h.permits()).append(" permits)");
                }
                if (h.since() != null) {
                    text.append(" since ").append(h.since().truncatedTo(ChronoUnit.SECONDS)).append(" (")
                            .append(Durations.format(Duration.between(h.since(), now).truncatedTo(ChronoUnit.SECONDS)))
                            .append(')');
                }
                text.append(": ").append(h.command()).append('\n');
            }
            if (!s.waiterPids().isEmpty()) {
                text.append("  waiting, head first: ");
                for (int i = 0; i < s.waiterPids().size(); i++) {
                    text.append(i == 0 ? "" : ", ").append("pid ").append(s.waiterPids().get(i));
                }
                text.append('\n');
            }
        }
        return text.toString();
    }

    static String toJson(Path stateDirectory, List<MachineSemaphore.Snapshot> snapshots) {
        StringBuilder json = new StringBuilder("{\"version\":1,\"stateDirectory\":");
        string(json, stateDirectory.toString()).append(",\"semaphores\":[");
        for (int i = 0; i < snapshots.size(); i++) {
            MachineSemaphore.Snapshot s = snapshots.get(i);
            json.append(i == 0 ? "" : ",").append("{\"name\":");
            string(json, s.name()).append(",\"permits\":").append(s.permits()).append(",\"held\":").append(s.held())
                    .append(",\"holders\":[");
            for (int j = 0; j < s.holders().size(); j++) {
                MachineSemaphore.Holder h = s.holders().get(j);
                json.append(j == 0 ? "" : ",").append("{\"pid\":").append(h.pid()).append(",\"host\":");
                string(json, h.host()).append(",\"command\":");
                string(json, h.command()).append(",\"since\":");
                if (h.since() == null) {
                    json.append("null");
                } else {
                    string(json, h.since().toString());
                }
                json.append(",\"permits\":").append(h.permits()).append('}');
            }
            json.append("],\"waiting\":").append(s.waiterPids().size()).append(",\"waiters\":[");
            for (int j = 0; j < s.waiterPids().size(); j++) {
                json.append(j == 0 ? "" : ",").append(s.waiterPids().get(j));
            }
            json.append("]}");
        }
        return json.append("]}\n").toString();
    }

    static StringBuilder string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
