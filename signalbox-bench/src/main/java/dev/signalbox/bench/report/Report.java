package dev.signalbox.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns the JMH JSON results of {@code bin/bench} (and the CPython run of the seed workload) into
 * the tables of {@code docs/benchmarks.md}: per scenario each contender's score ± error, the ratios
 * of ours to each anchor, the targets marked met or not, and one PNG chart per scenario.
 *
 * <p>Usage: {@code Report RESULTS_DIR CHART_DIR}. Every {@code *.json} in RESULTS_DIR that is a JMH
 * result is read; {@code asyncio.json} is the output of {@code seed_workload.py --json};
 * {@code redis-benchmark.csv} ({@code clients,rps,p50_ms,p99_ms}) is the Redis server's own limit;
 * {@code run.txt} (JDK and machine) and the {@code *.taken} lines (when and how each scenario ran)
 * head the report. The Markdown goes to standard output and to {@code RESULTS_DIR/report.md}.
 */
public final class Report {

    private final List<JmhResult> results;
    private final Optional<JsonNode> asyncio;
    /** Rows of {@code redis-benchmark.csv} after its header: clients, calls/s, p50 ms, p99 ms. */
    private final List<String[]> redisCeiling;
    private final Path chartDir;
    private final StringBuilder out = new StringBuilder();
    private final List<String[]> targets = new ArrayList<>();

    private Report(List<JmhResult> results, Optional<JsonNode> asyncio, List<String[]> redisCeiling, Path chartDir) {
        this.redisCeiling = List.copyOf(redisCeiling);
        // Medians: other processes shared the cores, and took them for whole iterations at times.
        this.results = results.stream().map(JmhResult::robust).toList();
        this.asyncio = asyncio;
        this.chartDir = chartDir;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Report RESULTS_DIR CHART_DIR");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        Path resultsDir = Path.of(args[0]);
        Path chartDir = Path.of(args[1]);
        List<JmhResult> results = new ArrayList<>();
        Optional<JsonNode> asyncio = Optional.empty();
        try (Stream<Path> files = Files.list(resultsDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                if (file.getFileName().toString().equals("asyncio.json")) {
                    asyncio = Optional.of(new ObjectMapper().readTree(file.toFile()));
                } else {
                    results.addAll(JmhResult.read(file));
                }
            }
        }
        if (results.isEmpty()) {
            System.err.println("no JMH results (*.json) in " + resultsDir);
            System.exit(1);
        }
        List<String[]> redisCeiling = new ArrayList<>();
        Path ceiling = resultsDir.resolve("redis-benchmark.csv");
        if (Files.exists(ceiling)) {
            Files.readAllLines(ceiling).stream().skip(1).filter(l -> !l.isBlank())
                    .forEach(l -> redisCeiling.add(l.split(",")));
        }
        Files.createDirectories(chartDir);
        Path run = resultsDir.resolve("run.txt");
        StringBuilder header = new StringBuilder(Files.exists(run) ? Files.readString(run) : "");
        try (Stream<Path> taken = Files.list(resultsDir)) {
            List<Path> stamps = taken.filter(f -> f.toString().endsWith(".taken")).sorted().toList();
            if (!stamps.isEmpty()) {
                header.append("\nMeasured:\n\n");
                for (Path stamp : stamps) {
                    header.append(Files.readString(stamp));
                }
            }
        }
        String markdown = header + new Report(results, asyncio, redisCeiling, chartDir).render();
        Files.writeString(resultsDir.resolve("report.md"), markdown);
        System.out.print(markdown);
    }

    private String render() throws IOException {
        out.append("\nEach score is the median of the benchmark's iterations (all forks), ± half the spread from the "
                + "second-lowest to the second-highest iteration: robust to the iterations in which other processes "
                + "took the cores. JMH's own mean and 99.9% error are in the JSON files beside the report.\n");
        uncontended();
        handOff();
        seedWorkload();
        footprint();
        cancellation();
        weighted();
        redis();
        if (!targets.isEmpty()) {
            out.append("\n### Targets\n\n| target | measured | |\n|---|---|---|\n");
            for (String[] t : targets) {
                out.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]).append(" |\n");
            }
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- scenarios

    private void uncontended() throws IOException {
        List<JmhResult> rs = scenario("UncontendedBenchmark");
        if (rs.isEmpty()) {
            return;
        }
        section("1. Uncontended acquire + release, one thread", "UncontendedBenchmark", rs);
        out.append("| contender | time (ns/op) | allocated (B/op) |\n|---|---|---|\n");
        for (JmhResult r : rs) {
            out.append("| ").append(r.method()).append(" | ").append(scoreText(r)).append(" | ")
                    .append(alloc(r).map(a -> fmt(a)).orElse("(run with -prof gc)")).append(" |\n");
        }
        out.append("\nRatios of time, ours ÷ anchor (below 1: ours is faster):\n\n| ours | ÷ j.u.c. non-fair | ÷ j.u.c. fair | ÷ kotlinx | ÷ async-util |\n|---|---|---|---|---|\n");
        String[][] rows = {
            {"oursAcquire", "jucNonFairAcquire", "jucFairAcquire", "kotlinxAcquire", "asyncUtilAcquire"},
            {"oursTryAcquire", "jucNonFairTryAcquire", "jucFairTryAcquire", "kotlinxTryAcquire", "asyncUtilTryAcquire"},
            {"oursAcquireAsync", "jucNonFairAcquire", "jucFairAcquire", "kotlinxAcquire", "asyncUtilAcquire"},
            {"oursAcquirePermit", "jucNonFairAcquire", "jucFairAcquire", "kotlinxAcquire", "asyncUtilAcquire"},
        };
        for (String[] row : rows) {
            out.append("| ").append(row[0]);
            for (int i = 1; i < row.length; i++) {
                out.append(" | ").append(ratioText(find(rs, row[0], p -> true), find(rs, row[i], p -> true),
                        JmhResult::score));
            }
            out.append(" |\n");
        }
        for (String[] row : new String[][] {rows[0], rows[1], rows[2]}) {
            find(rs, row[0], p -> true).ifPresent(ours -> find(rs, row[1], p -> true).ifPresent(juc -> {
                double[] r = timeRatio(ours, juc);
                atMost("Uncontended " + row[0] + " ≤ 1.05× the time of j.u.c. non-fair",
                        scoreText(ours) + " vs " + scoreText(juc) + " ns: " + ratio(r[0]), r, 1.05);
            }));
            find(rs, row[0], p -> true).ifPresent(ours -> alloc(ours).ifPresent(a ->
                    target("Uncontended " + row[0] + " allocates 0 B/op", fmt(a) + " B/op", a < 0.5)));
        }
        Charts.bars(chartDir.resolve("bench-uncontended.png"), "Uncontended acquire + release (lower is better)",
                "ns/op", Map.of("ns/op", rs), JmhResult::method);
    }

    private void handOff() throws IOException {
        List<JmhResult> rs = scenario("HandOffBenchmark");
        if (rs.isEmpty()) {
            return;
        }
        section("2. Fair hand-off, 2 platform threads, 1 permit", "HandOffBenchmark", rs);

        Map<String, List<JmhResult>> byWork = groupBy(rs, "work");
        timeTable(byWork, "work (tokens)");
        speedRatios(byWork, "work", new String[] {"ours", "oursAsync"},
                new String[] {"jucFair", "jucNonFair", "kotlinx", "asyncUtil"});
        byWork.forEach((work, list) -> find(list, "ours", p -> true).ifPresent(ours ->
                find(list, "jucFair", p -> true).ifPresent(juc -> {
                    double[] speed = speed(ours, juc);
                    atLeast("Hand-off (work " + work + ") ≥ 2× j.u.c. fair", scoreText(ours) + " vs "
                            + scoreText(juc) + " ns/op: " + ratio(speed[0]), speed, 2);
                })));
        Charts.bars(chartDir.resolve("bench-handoff.png"), "Fair hand-off, 2 threads (lower is better)",
                "ns/op", prefixed("work=", byWork), JmhResult::method);
    }

    private void seedWorkload() throws IOException {
        List<JmhResult> rs = scenario("SeedWorkloadBenchmark");
        if (rs.isEmpty()) {
            return;
        }
        section("3. The seed workload at scale (semaphore of 100, each worker yields once while holding)",
                "SeedWorkloadBenchmark", rs);

        Map<String, List<JmhResult>> byWorkers = groupBy(rs, "workers");
        out.append("| workers | contender | time (ms per run) | workers/s |\n|---|---|---|---|\n");
        byWorkers.forEach((n, list) -> {
            for (JmhResult r : list) {
                out.append("| ").append(n).append(" | ").append(r.method()).append(" | ").append(scoreText(r))
                        .append(" | ").append(rate(workersPerSecond(r))).append(" |\n");
            }
            asyncioRate(Integer.parseInt(n)).ifPresent(py -> out.append("| ").append(n)
                    .append(" | CPython ").append(asyncio.orElseThrow().path("python").asText())
                    .append(" asyncio | | ").append(rate(py)).append(" |\n"));
        });
        out.append("\nRatios of workers/s, ours ÷ anchor (above 1: ours is faster):\n\n")
                .append("| workers | ours | ÷ kotlinx | ÷ async-util | ÷ CPython asyncio | ÷ virtual + j.u.c. fair | ÷ virtual + j.u.c. non-fair |\n")
                .append("|---|---|---|---|---|---|---|\n");
        byWorkers.forEach((n, list) -> {
            for (String ours : new String[] {"oursAsync", "oursVirtual"}) {
                Optional<JmhResult> o = find(list, ours, p -> true);
                if (o.isEmpty()) {
                    continue;
                }
                double rate = workersPerSecond(o.get());
                out.append("| ").append(n).append(" | ").append(ours);
                for (String anchor : new String[] {"kotlinx", "asyncUtil"}) {
                    out.append(" | ").append(find(list, anchor, p -> true)
                            .map(a -> ratio(rate / workersPerSecond(a))).orElse("–"));
                }
                out.append(" | ").append(asyncioRate(Integer.parseInt(n)).map(py -> ratio(rate / py)).orElse("–"));
                for (String anchor : new String[] {"jucFairVirtual", "jucNonFairVirtual"}) {
                    out.append(" | ").append(find(list, anchor, p -> true)
                            .map(a -> ratio(rate / workersPerSecond(a))).orElse("–"));
                }
                out.append(" |\n");
            }
        });
        List<JmhResult> big = byWorkers.getOrDefault("100000", List.of());
        find(big, "oursAsync", p -> true).ifPresent(ours -> {
            double rate = workersPerSecond(ours);
            big.stream().filter(r -> r.method().equals("kotlinx") || r.method().equals("asyncUtil"))
                    .max(Comparator.comparingDouble(Report::workersPerSecond)).ifPresent(best -> {
                        double[] speed = speed(ours, best);
                        atLeast("Seed workload N=100,000, async ≥ 1.25× the best async anchor (" + best.method() + ")",
                                rate(rate) + " vs " + rate(workersPerSecond(best)) + " workers/s: " + ratio(speed[0]),
                                speed, 1.25);
                    });
            asyncioRate(100_000).ifPresent(py -> atLeast("Seed workload N=100,000, async ≥ 150× CPython asyncio",
                    rate(rate) + " vs " + rate(py) + " workers/s: " + ratio(rate / py),
                    new double[] {rate / py, rate / py * ours.score() / (ours.score() + err(ours)),
                        rate / py * ours.score() / Math.max(ours.score() - err(ours), 1e-9)}, 150));
        });
        find(big, "oursVirtual", p -> true).ifPresent(ours -> find(big, "jucFairVirtual", p -> true).ifPresent(juc -> {
            double[] speed = speed(ours, juc);
            atLeast("Seed workload N=100,000, virtual threads ≥ 1.5× virtual threads + j.u.c. fair",
                    rate(workersPerSecond(ours)) + " vs " + rate(workersPerSecond(juc)) + " workers/s: "
                            + ratio(speed[0]), speed, 1.5);
        }));
        Charts.rates(chartDir.resolve("bench-seed.png"), "Seed workload (higher is better)", "workers/s",
                prefixed("workers=", byWorkers), Report::workersPerSecond,
                byWorkers.keySet().stream().map(n -> Map.entry("workers=" + n,
                        asyncioRate(Integer.parseInt(n)).orElse(Double.NaN))).toList());
    }

    private void footprint() throws IOException {
        List<JmhResult> rs = scenario("FootprintBenchmark");
        if (rs.isEmpty()) {
            return;
        }
        section("4. Memory per waiting acquirer (heap after full GC, median of the shots)", "FootprintBenchmark",
                "bytes from its bytesPerWaiter counter (its ms/op score is only how long a shot took)");
        out.append("| contender | waiters | bytes per waiter | shots |\n|---|---|---|---|\n");
        for (JmhResult r : rs) {
            boolean virtual = r.method().endsWith("Virtual");
            out.append("| ").append(r.method()).append(" | ")
                    .append(virtual ? r.params().get("virtualWaiters") + " virtual threads"
                            : r.params().get("asyncWaiters") + " async")
                    .append(" | ").append(fmt(bytes(r))).append(" | ")
                    .append(r.secondary().get("bytesPerWaiter").samples().length).append(" |\n");
        }
        Optional<JmhResult> oursAsync = find(rs, "oursAsync", p -> true);
        Optional<JmhResult> oursVirtual = find(rs, "oursVirtual", p -> true);
        Optional<JmhResult> baseVirtual = find(rs, "baselineVirtual", p -> true);
        out.append("\nRatios of bytes, ours ÷ anchor (below 1: ours is smaller):\n\n| ours | ÷ kotlinx (future {}) | ÷ kotlinx (bare continuation) | ÷ async-util | ÷ j.u.c. fair | ÷ j.u.c. non-fair |\n|---|---|---|---|---|---|\n");
        oursAsync.ifPresent(o -> out.append("| oursAsync | ").append(bytesRatio(o, rs, "kotlinx")).append(" | ")
                .append(bytesRatio(o, rs, "kotlinxContinuation")).append(" | ")
                .append(bytesRatio(o, rs, "asyncUtil")).append(" | – | – |\n"));
        oursVirtual.ifPresent(o -> out.append("| oursVirtual | – | – | – | ").append(bytesRatio(o, rs, "jucFairVirtual"))
                .append(" | ").append(bytesRatio(o, rs, "jucNonFairVirtual")).append(" |\n"));
        oursAsync.ifPresent(o -> target("Memory: ≤ 48 bytes per pending async waiter, future included",
                fmt(bytes(o)) + " B", Math.round(bytes(o)) <= 48)); // a heap delta over a million objects: whole bytes
        oursVirtual.ifPresent(o -> baseVirtual.ifPresent(b -> {
            double extra = bytes(o) - bytes(b);
            target("Memory: a blocked virtual thread ≤ the thread itself + 48 bytes",
                    fmt(bytes(o)) + " B vs " + fmt(bytes(b)) + " B parked bare: +" + fmt(extra) + " B", Math.round(extra) <= 48);
        }));
        Charts.rates(chartDir.resolve("bench-memory.png"), "Memory per waiting acquirer (lower is better)",
                "bytes", Map.of("bytes per waiter", rs), Report::bytes, List.of());
    }

    private void cancellation() throws IOException {
        List<JmhResult> rs = scenario("CancellationBenchmark");
        if (rs.isEmpty()) {
            return;
        }
        section("5. Cancelling every pending waiter in random order", "CancellationBenchmark", rs);
        Map<String, List<JmhResult>> byWaiters = groupBy(rs, "waiters");
        out.append("| waiters | contender | time per shot (ms) | per cancel (ns) |\n|---|---|---|---|\n");
        byWaiters.forEach((n, list) -> {
            for (JmhResult r : list) {
                out.append("| ").append(n).append(" | ").append(r.method()).append(" | ").append(scoreText(r))
                        .append(" | ").append(fmt(perCancel(r))).append(" ± ")
                        .append(fmt(r.error() * 1e6 / r.intParam("waiters"))).append(" |\n");
            }
        });
        List<String> sizes = new ArrayList<>(byWaiters.keySet());
        if (sizes.size() >= 2) {
            String small = sizes.get(0);
            String large = sizes.get(sizes.size() - 1);
            out.append("\nGrowth of the time per cancel from ").append(small).append(" to ").append(large)
                    .append(" waiters, and ours ÷ kotlinx per cancel:\n\n| contender | growth | ours ÷ it at ")
                    .append(small).append(" | at ").append(large).append(" |\n|---|---|---|---|\n");
            for (JmhResult s : byWaiters.get(small)) {
                find(byWaiters.get(large), s.method(), p -> true).ifPresent(l -> {
                    out.append("| ").append(s.method()).append(" | ").append(ratio(perCancel(l) / perCancel(s)));
                    out.append(" | ").append(find(byWaiters.get(small), "ours", p -> true)
                            .map(o -> ratio(perCancel(o) / perCancel(s))).orElse("–"));
                    out.append(" | ").append(find(byWaiters.get(large), "ours", p -> true)
                            .map(o -> ratio(perCancel(o) / perCancel(l))).orElse("–")).append(" |\n");
                    if (s.method().equals("ours")) {
                        double scale = (double) s.intParam("waiters") / l.intParam("waiters");
                        double[] growth = timeRatio(l, s);
                        for (int i = 0; i < 3; i++) {
                            growth[i] *= scale;
                        }
                        atMost("Cancellation O(1): per-cancel time at " + large + " ≤ 1.5× that at " + small,
                                fmt(perCancel(l)) + " vs " + fmt(perCancel(s)) + " ns: " + ratio(growth[0]), growth, 1.5);
                    }
                });
            }
        }
        Charts.rates(chartDir.resolve("bench-cancel.png"), "Time per cancel (lower is better)", "ns per cancel",
                prefixed("waiters=", byWaiters), Report::perCancel, List.of());
    }

    private void weighted() throws IOException {
        List<JmhResult> rs = scenario("WeightedBenchmark");
        if (rs.isEmpty()) {
            return;
        }
        section("6. Weighted: 4 threads, acquire(1) ×3 then acquire(8), 16 permits", "WeightedBenchmark", rs);

        Map<String, List<JmhResult>> byWork = groupBy(rs, "work");
        timeTable(byWork, "work (tokens)");
        speedRatios(byWork, "work", new String[] {"ours", "oursAsync"},
                new String[] {"jucFair", "jucNonFair", "asyncUtil"});
        Charts.bars(chartDir.resolve("bench-weighted.png"), "Weighted acquire, 4 threads (lower is better)",
                "ns/op", prefixed("work=", byWork), JmhResult::method);
    }

    private void redis() {
        List<JmhResult> free = scenario("RedisBenchmark");
        List<JmhResult> contended = scenario("RedisContendedBenchmark");
        if (free.isEmpty() && contended.isEmpty()) {
            return;
        }
        out.append("\n### 7. Redis: acquire + release on one redis-server, beside Redisson\n\n")
                .append("`RedisBenchmark`: a free permit, one thread, a semaphore of 1. `RedisContendedBenchmark`: 8 ")
                .append("clients × 4 threads on 4 permits. Operations per second (one operation = acquire + release, ")
                .append("the release confirmed by Redis; contended: all threads together), and the time of one ")
                .append("operation as a thread sees it (JMH's SampleTime mode; contended, that includes the wait in ")
                .append("line).\n\n");
        String[] methods = {"ours", "redissonExpirable", "redissonSemaphore"};
        out.append("| scenario | contender | operations/s | mean (µs) | p50 (µs) | p99 (µs) |\n|---|---|---|---|---|---|\n");
        for (String[] s : new String[][] {{"free permit", "RedisBenchmark"}, {"contended", "RedisContendedBenchmark"}}) {
            List<JmhResult> rs = scenario(s[1]);
            for (String m : methods) {
                Optional<JmhResult> thrpt = find(rs, m, p -> true, "thrpt");
                Optional<JmhResult> sample = find(rs, m, p -> true, "sample");
                if (thrpt.isEmpty() && sample.isEmpty()) {
                    continue;
                }
                out.append("| ").append(s[0]).append(" | ").append(m).append(" | ")
                        .append(thrpt.map(r -> perSecondText(r)).orElse("–")).append(" | ")
                        .append(sample.map(r -> microsText(r)).orElse("–")).append(" | ")
                        .append(sample.map(r -> fmt(micros(r, r.percentile(50)))).orElse("–")).append(" | ")
                        .append(sample.map(r -> fmt(micros(r, r.percentile(99)))).orElse("–")).append(" |\n");
            }
        }
        out.append("\nRatios ours ÷ Redisson: throughput above 1 and times below 1 mean ours is faster.\n\n"
                + "| scenario | ours ÷ | throughput | p50 time | p99 time |\n|---|---|---|---|---|\n");
        for (String[] s : new String[][] {{"free permit", "RedisBenchmark"}, {"contended", "RedisContendedBenchmark"}}) {
            List<JmhResult> rs = scenario(s[1]);
            for (String anchor : new String[] {"redissonExpirable", "redissonSemaphore"}) {
                out.append("| ").append(s[0]).append(" | ").append(anchor).append(" | ")
                        .append(ratioText(find(rs, "ours", p -> true, "thrpt"), find(rs, anchor, p -> true, "thrpt"),
                                JmhResult::score)).append(" | ")
                        .append(ratioText(find(rs, "ours", p -> true, "sample"),
                                find(rs, anchor, p -> true, "sample"), r -> r.percentile(50))).append(" | ")
                        .append(ratioText(find(rs, "ours", p -> true, "sample"),
                                find(rs, anchor, p -> true, "sample"), r -> r.percentile(99))).append(" |\n");
            }
        }
        if (redisCeiling.isEmpty()) {
            out.append("\nNo `redis-benchmark.csv`: the server's own limit was not measured in this run.\n");
            return;
        }
        out.append("\nThe server's own limit on the same machine: `redis-benchmark` calling a one-line script "
                + "(`return 1`) with EVALSHA, on a server started the same way.\n\n"
                + "| redis-benchmark clients | EVALSHA calls/s | p50 (µs) | p99 (µs) |\n|---|---|---|---|\n");
        for (String[] row : redisCeiling) {
            out.append("| ").append(row[0]).append(" | ").append(fmt(Double.parseDouble(row[1]))).append(" | ")
                    .append(fmt(Double.parseDouble(row[2]) * 1000)).append(" | ")
                    .append(fmt(Double.parseDouble(row[3]) * 1000)).append(" |\n");
        }
        Optional<String[]> single = redisCeiling.stream().filter(row -> row[0].equals("1")).findFirst();
        Optional<JmhResult> oursFree = find(free, "ours", p -> true, "thrpt");
        if (single.isPresent() && oursFree.isPresent()) {
            double ceiling = Double.parseDouble(single.get()[1]) / 2;
            out.append("\nA free-permit operation is two calls (acquire, release), so one thread's ceiling is ")
                    .append(rate(ceiling)).append(" operations/s; ours reaches ")
                    .append(String.format(Locale.ROOT, "%.0f%%", 100 * perSecond(oursFree.get()) / ceiling))
                    .append(" of it.\n");
        }
    }

    // ---------------------------------------------------------------- table pieces

    private void section(String title, String scenario, List<JmhResult> rs) {
        TreeSet<String> units = new TreeSet<>();
        rs.forEach(r -> units.add(r.unit()));
        section(title, scenario, String.join(", ", units));
    }

    private void section(String title, String scenario, String what) {
        out.append("\n### ").append(title).append("\n\n`").append(scenario).append("`, ").append(what)
                .append(".\n\n");
    }

    private void timeTable(Map<String, List<JmhResult>> groups, String paramTitle) {
        out.append("| ").append(paramTitle).append(" | contender | time (ns/op) |\n|---|---|---|\n");
        groups.forEach((value, list) -> list.forEach(r -> out.append("| ").append(value).append(" | ")
                .append(r.method()).append(" | ").append(scoreText(r)).append(" |\n")));
    }

    private void speedRatios(Map<String, List<JmhResult>> groups, String param, String[] ours, String[] anchors) {
        out.append("\nRatios of speed (anchor's time ÷ ours; above 1: ours is faster):\n\n| ").append(param)
                .append(" | ours");
        for (String a : anchors) {
            out.append(" | vs ").append(a);
        }
        out.append(" |\n|---|---").append("|---".repeat(anchors.length)).append("|\n");
        groups.forEach((value, list) -> {
            for (String o : ours) {
                Optional<JmhResult> mine = find(list, o, p -> true);
                if (mine.isEmpty()) {
                    continue;
                }
                out.append("| ").append(value).append(" | ").append(o);
                for (String a : anchors) {
                    out.append(" | ").append(find(list, a, p -> true)
                            .map(r -> ratio(r.score() / mine.get().score())).orElse("–"));
                }
                out.append(" |\n");
            }
        });
    }

    private void target(String what, String measured, boolean met) {
        targets.add(new String[] {what, measured, met ? "**met**" : "**not met**"});
    }

    /**
     * A target "ratio ≤ limit", given the ratio and the bounds its error bars allow: met or not
     * met plainly when the whole interval agrees, "within error" when the interval straddles it.
     */
    private void atMost(String what, String measured, double[] ratio, double limit) {
        String verdict = ratio[2] <= limit ? "**met**"
                : ratio[0] <= limit ? "**met** (within error)"
                : ratio[1] <= limit ? "**not met** (within error)"
                : "**not met**";
        targets.add(new String[] {what, measured + interval(ratio), verdict});
    }

    /** A target "ratio ≥ limit"; see {@link #atMost}. */
    private void atLeast(String what, String measured, double[] ratio, double limit) {
        String verdict = ratio[1] >= limit ? "**met**"
                : ratio[0] >= limit ? "**met** (within error)"
                : ratio[2] >= limit ? "**not met** (within error)"
                : "**not met**";
        targets.add(new String[] {what, measured + interval(ratio), verdict});
    }

    /** The range the error bars allow, e.g. " (0.91×–1.12×)"; an error as large as a score leaves it open. */
    private static String interval(double[] ratio) {
        String lo = ratio[1] <= 1e-6 ? "0" : ratio(ratio[1]);
        String hi = ratio[2] >= 1e6 ? "∞" : ratio(ratio[2]);
        return " (error bars allow " + lo + "–" + hi + ")";
    }

    /** Ours' time ÷ the anchor's: the ratio and its lowest and highest values within both errors. */
    private static double[] timeRatio(JmhResult ours, JmhResult anchor) {
        double o = ours.score();
        double a = anchor.score();
        return new double[] {o / a, Math.max(o - err(ours), 0) / (a + err(anchor)),
            (o + err(ours)) / Math.max(a - err(anchor), 1e-9)};
    }

    /** The anchor's time ÷ ours (speed of ours relative to it), with its bounds. */
    private static double[] speed(JmhResult ours, JmhResult anchor) {
        double[] t = timeRatio(ours, anchor);
        return new double[] {1 / t[0], 1 / t[2], t[1] == 0 ? Double.POSITIVE_INFINITY : 1 / t[1]};
    }

    private static double err(JmhResult r) {
        return Double.isNaN(r.error()) ? 0 : r.error();
    }

    // ---------------------------------------------------------------- derived numbers

    /** A throughput score in operations per second. */
    private static double perSecond(JmhResult r) {
        return switch (r.unit()) {
            case "ops/s" -> r.score();
            case "ops/ms" -> r.score() * 1e3;
            case "ops/us" -> r.score() * 1e6;
            default -> throw new IllegalStateException(r.method() + ": not a throughput in ops/s, ops/ms or ops/us: "
                    + r.unit());
        };
    }

    private static String perSecondText(JmhResult r) {
        double factor = perSecond(r) / r.score();
        return Double.isNaN(r.error()) ? fmt(perSecond(r)) : fmt(perSecond(r)) + " ± " + fmt(r.error() * factor);
    }

    /** {@code time}, in the unit of {@code r}'s time score, in microseconds. */
    private static double micros(JmhResult r, double time) {
        return switch (r.unit()) {
            case "s/op" -> time * 1e6;
            case "ms/op" -> time * 1e3;
            case "us/op" -> time;
            case "ns/op" -> time / 1e3;
            default -> throw new IllegalStateException(r.method() + ": not a time per operation: " + r.unit());
        };
    }

    private static String microsText(JmhResult r) {
        return Double.isNaN(r.error()) ? fmt(micros(r, r.score()))
                : fmt(micros(r, r.score())) + " ± " + fmt(micros(r, r.error()));
    }

    private static double workersPerSecond(JmhResult r) {
        if (!r.unit().equals("ms/op")) {
            throw new IllegalStateException("seed workload scores must be in ms/op, got " + r.unit());
        }
        return r.intParam("workers") / (r.score() / 1000);
    }

    private static double perCancel(JmhResult r) {
        if (!r.unit().equals("ms/op")) {
            throw new IllegalStateException("cancellation scores must be in ms/op, got " + r.unit());
        }
        return r.score() * 1e6 / r.intParam("waiters");
    }

    private static double bytes(JmhResult r) {
        JmhResult.Metric m = r.secondary().get("bytesPerWaiter");
        if (m == null) {
            throw new IllegalStateException(r.method() + " has no bytesPerWaiter counter");
        }
        return m.median();
    }

    private static String bytesRatio(JmhResult ours, List<JmhResult> rs, String anchor) {
        return find(rs, anchor, p -> true).map(a -> ratio(bytes(ours) / bytes(a))).orElse("–");
    }

    private static Optional<Double> alloc(JmhResult r) {
        return Optional.ofNullable(r.secondary().get("gc.alloc.rate.norm")).map(JmhResult.Metric::score);
    }

    private Optional<Double> asyncioRate(int workers) {
        return asyncio.flatMap(root -> {
            for (JsonNode r : root.path("results")) {
                if (r.path("workers").asInt() == workers) {
                    return Optional.of(r.path("workersPerSecond").asDouble());
                }
            }
            return Optional.empty();
        });
    }

    // ---------------------------------------------------------------- selection

    private List<JmhResult> scenario(String name) {
        return results.stream().filter(r -> r.scenario().equals(name)).toList();
    }

    /** Results grouped by the value of {@code param}, groups in numeric order. */
    private static Map<String, List<JmhResult>> groupBy(List<JmhResult> rs, String param) {
        Map<String, List<JmhResult>> groups = new LinkedHashMap<>();
        rs.stream().sorted(Comparator.comparingLong(r -> Long.parseLong(r.params().get(param))))
                .forEach(r -> groups.computeIfAbsent(r.params().get(param), k -> new ArrayList<>()).add(r));
        return groups;
    }

    private static Map<String, List<JmhResult>> prefixed(String prefix, Map<String, List<JmhResult>> groups) {
        Map<String, List<JmhResult>> named = new LinkedHashMap<>();
        groups.forEach((k, v) -> named.put(prefix + k, v));
        return named;
    }

    /** As {@link #find(List, String, Predicate)}, of the runs in JMH mode {@code mode} ({@code thrpt}, {@code sample}). */
    private static Optional<JmhResult> find(List<JmhResult> rs, String method, Predicate<Map<String, String>> params,
            String mode) {
        return find(rs.stream().filter(r -> r.mode().equals(mode)).toList(), method, params);
    }

    private static Optional<JmhResult> find(List<JmhResult> rs, String method, Predicate<Map<String, String>> params) {
        Objects.requireNonNull(method, "method");
        return rs.stream().filter(r -> r.method().equals(method) && params.test(r.params())).findFirst();
    }

    // ---------------------------------------------------------------- formatting

    private static String scoreText(JmhResult r) {
        return Double.isNaN(r.error()) ? fmt(r.score()) : fmt(r.score()) + " ± " + fmt(r.error());
    }

    private static String ratioText(Optional<JmhResult> ours, Optional<JmhResult> anchor, ToDoubleFunction<JmhResult> f) {
        if (ours.isEmpty() || anchor.isEmpty()) {
            return "–";
        }
        return ratio(f.applyAsDouble(ours.get()) / f.applyAsDouble(anchor.get()));
    }

    static String fmt(double x) {
        double a = Math.abs(x);
        String pattern = a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, x);
    }

    private static String rate(double perSecond) {
        return perSecond >= 1e6 ? String.format(Locale.ROOT, "%.2fM", perSecond / 1e6)
                : String.format(Locale.ROOT, "%.1fk", perSecond / 1e3);
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, r >= 10 ? "%.0f×" : "%.2f×", r);
    }
}
