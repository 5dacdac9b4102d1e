package dev.signalbox.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.signalbox.redis.RedisSemaphoreClient;
import dev.signalbox.redis.RedisSemaphoreException;
import dev.signalbox.redis.RedisSemaphoreSnapshot;

/**
 * {@code signalbox status --redis}: one cluster-wide semaphore, in the text and JSON shapes of
 * the machine-wide status. Holders started by {@code signalbox run} carry the label
 * {@code pid@host: command} ({@link RedisRunner#label}), which is shown as pid, host and command.
 */
final class RedisStatus {

    private static final Pattern RUN_LABEL = Pattern.compile("(\\d+)@([^:]*): (.*)");

    private RedisStatus() {}

    static int print(String uri, String name, boolean json, PrintWriter out, PrintWriter err) {
        RedisSemaphoreSnapshot snapshot;
        try (RedisSemaphoreClient client = RedisSemaphoreClient.builder(uri).build()) {
            snapshot = client.semaphore(name, 1).snapshot();
        } catch (IllegalArgumentException bad) {
            err.println("signalbox: " + bad.getMessage());
            err.println("Try 'signalbox status --help' for more information.");
            return ExitCodes.USAGE;
        } catch (RedisSemaphoreException unavailable) {
            err.println("signalbox: " + unavailable.getMessage());
            return ExitCodes.CANNOT_RUN;
        }
        if (snapshot.epoch().isEmpty()) {
            err.println("signalbox: no semaphore named '" + name + "' on Redis");
            return ExitCodes.FAILURE;
        }
        out.print(json ? toJson(snapshot) : toText(snapshot, Instant.now()));
        out.flush();
        return ExitCodes.OK;
    }

    static String toText(RedisSemaphoreSnapshot s, Instant now) {
        int held = s.maxPermits() - s.availablePermits();
        StringBuilder text = new StringBuilder().append(s.name()).append(": ").append(held).append(" of ")
                .append(s.maxPermits()).append(s.maxPermits() == 1 ? " permit" : " permits").append(" held, ")
                .append(s.waiters().size()).append(" waiting (Redis)\n");
        for (RedisSemaphoreSnapshot.Holder h : s.holders()) {
            Matcher run = RUN_LABEL.matcher(h.label());
            text.append("  ").append(run.matches() ? "pid " + run.group(1) + "@" + run.group(2) : h.label());
            if (h.permits() > 1) {
                text.append(" (").append(h.permits()).append(" permits)");
            }
            text.append(" since ").append(h.since().truncatedTo(ChronoUnit.SECONDS)).append(" (")
                    .append(Durations.format(Duration.between(h.since(), now).truncatedTo(ChronoUnit.SECONDS)))
                    .append("), token ").append(h.fencingToken());
            if (run.matches()) {
                text.append(": ").append(run.group(3));
            }
            text.append('\n');
        }
        if (!s.waiters().isEmpty()) {
            text.append("  waiting, head first: ");
            for (int i = 0; i < s.waiters().size(); i++) {
                Matcher run = RUN_LABEL.matcher(s.waiters().get(i).label());
                text.append(i == 0 ? "" : ", ").append(run.matches() ? "pid " + run.group(1) : s.waiters().get(i).label());
            }
            text.append('\n');
        }
        return text.toString();
    }

    static String toJson(RedisSemaphoreSnapshot s) {
        StringBuilder json = new StringBuilder("{\"version\":1,\"redis\":true,\"semaphores\":[{\"name\":");
        StatusCommand.string(json, s.name()).append(",\"permits\":").append(s.maxPermits()).append(",\"held\":")
                .append(s.maxPermits() - s.availablePermits()).append(",\"holders\":[");
        for (int j = 0; j < s.holders().size(); j++) {
            RedisSemaphoreSnapshot.Holder h = s.holders().get(j);
            Matcher run = RUN_LABEL.matcher(h.label());
            json.append(j == 0 ? "{" : ",{");
            if (run.matches()) {
                json.append("\"pid\":").append(run.group(1)).append(",\"host\":");
                StatusCommand.string(json, run.group(2)).append(",\"command\":");
                StatusCommand.string(json, run.group(3)).append(',');
            }
            json.append("\"label\":");
            StatusCommand.string(json, h.label()).append(",\"since\":");
            StatusCommand.string(json, h.since().toString()).append(",\"permits\":").append(h.permits())
                    .append(",\"token\":").append(h.fencingToken()).append(",\"leaseRemainingMs\":")
                    .append(h.remaining().toMillis()).append('}');
        }
        json.append("],\"waiting\":").append(s.waiters().size()).append(",\"waiters\":[");
        for (int j = 0; j < s.waiters().size(); j++) {
            Matcher run = RUN_LABEL.matcher(s.waiters().get(j).label());
            json.append(j == 0 ? "" : ",");
            if (run.matches()) {
                json.append(run.group(1));
            } else {
                StatusCommand.string(json, s.waiters().get(j).label());
            }
        }
        return json.append("]}]}\n").toString();
    }
}
