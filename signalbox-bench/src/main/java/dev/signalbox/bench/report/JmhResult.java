package dev.signalbox.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One benchmark of a JMH JSON result file ({@code -rf json}): which method with which parameters,
 * its primary score, and its secondary metrics ({@code -prof gc}'s allocation, aux counters).
 *
 * @param scenario  the benchmark class's simple name, e.g. {@code SeedWorkloadBenchmark}
 * @param method    the benchmark method, i.e. the contender, e.g. {@code oursAsync}
 * @param params    the {@code @Param} values of this run
 * @param score     the primary score (JMH's mean over all iterations of all forks)
 * @param error     the half-width of JMH's 99.9% confidence interval ({@code NaN} for a single sample)
 * @param unit      the primary score's unit, e.g. {@code ns/op}
 * @param samples   the primary score of every iteration of every fork
 * @param secondary the secondary metrics by name
 * @param mode        JMH's short name of the benchmark mode, e.g. {@code thrpt}, {@code sample}
 * @param percentiles the primary metric's percentiles by JMH's key ({@code "50.0"}, {@code "99.0"}
 *                    ...): of the sampled times in {@code sample} mode, of the iterations otherwise
 */
record JmhResult(String scenario, String method, Map<String, String> params, double score, double error,
        String unit, double[] samples, Map<String, Metric> secondary, String mode, Map<String, Double> percentiles) {

    /**
     * A secondary metric.
     *
     * @param score   JMH's aggregate
     * @param error   JMH's error of it
     * @param samples every per-iteration value of every fork
     */
    record Metric(double score, double error, double[] samples) {

        /** The median of the per-iteration values (JMH sums aux event counters, so this is their value). */
        double median() {
            double[] sorted = samples.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            if (n == 0) {
                return Double.NaN;
            }
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }

    JmhResult {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(mode, "mode");
        params = Map.copyOf(params);
        secondary = Map.copyOf(secondary);
        percentiles = Map.copyOf(percentiles);
    }

    /**
     * The primary metric's percentile {@code p} (e.g. 99), as JMH computed it.
     *
     * @throws IllegalArgumentException if the result has no such percentile
     */
    double percentile(double p) {
        Double value = percentiles.get(String.format(Locale.ROOT, "%.1f", p));
        if (value == null) {
            throw new IllegalArgumentException(scenario + "." + method + " (" + mode + ") has no percentile " + p
                    + ": " + percentiles.keySet());
        }
        return value;
    }

    /**
     * This result with the median of its iterations as the score, and half the spread between the
     * second-lowest and second-highest iteration as the error: robust to the few iterations in
     * which another process took the cores, for the scenarios that are sensitive to that.
     */
    JmhResult robust() {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        if (n < 3) {
            return this;
        }
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        double spread = Math.max(median - sorted[1], sorted[n - 2] - median);
        return new JmhResult(scenario, method, params, median, spread, unit, samples, secondary, mode, percentiles);
    }

    /** The integer value of parameter {@code name}. */
    int intParam(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException(scenario + "." + method + " has no parameter " + name + ": " + params);
        }
        return Integer.parseInt(value);
    }

    /** Reads every benchmark of one JMH JSON file. */
    static List<JmhResult> read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (!root.isArray()) {
            throw new IOException(file + " is not a JMH JSON result (expected an array)");
        }
        List<JmhResult> results = new ArrayList<>();
        for (JsonNode run : root) {
            String benchmark = run.path("benchmark").asText();
            int lastDot = benchmark.lastIndexOf('.');
            String className = benchmark.substring(0, lastDot);
            Map<String, String> params = new LinkedHashMap<>();
            run.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            JsonNode primary = run.path("primaryMetric");
            Map<String, Metric> secondary = new LinkedHashMap<>();
            run.path("secondaryMetrics").properties().forEach(e -> secondary.put(e.getKey(), metric(e.getValue())));
            Map<String, Double> percentiles = new LinkedHashMap<>();
            primary.path("scorePercentiles").properties()
                    .forEach(e -> percentiles.put(e.getKey(), e.getValue().asDouble()));
            results.add(new JmhResult(className.substring(className.lastIndexOf('.') + 1),
                    benchmark.substring(lastDot + 1), params, primary.path("score").asDouble(),
                    number(primary.path("scoreError")), primary.path("scoreUnit").asText(),
                    metric(primary).samples(), secondary, run.path("mode").asText(), percentiles));
        }
        return results;
    }

    private static Metric metric(JsonNode node) {
        List<Double> samples = new ArrayList<>();
        for (JsonNode fork : node.path("rawData")) {
            for (JsonNode value : fork) {
                samples.add(value.asDouble());
            }
        }
        return new Metric(node.path("score").asDouble(), number(node.path("scoreError")),
                samples.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** JMH writes "NaN" as a string when there is no error estimate. */
    private static double number(JsonNode node) {
        return node.isNumber() ? node.asDouble() : Double.NaN;
    }
}
