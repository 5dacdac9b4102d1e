package dev.signalbox.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
 * @param secondary the secondary metrics by name
 */
record JmhResult(String scenario, String method, Map<String, String> params, double score, double error,
        String unit, Map<String, Metric> secondary) {

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
        params = Map.copyOf(params);
        secondary = Map.copyOf(secondary);
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
            results.add(new JmhResult(className.substring(className.lastIndexOf('.') + 1),
                    benchmark.substring(lastDot + 1), params, primary.path("score").asDouble(),
                    number(primary.path("scoreError")), primary.path("scoreUnit").asText(), secondary));
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
