package dev.signalbox.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** The PNG bar charts of the report, drawn by XChart from the JMH results. */
final class Charts {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 520;

    private Charts() {}

    /** Primary scores with JMH's error bars: one bar group per contender, one series per group of runs. */
    static void bars(Path file, String title, String yTitle, Map<String, List<JmhResult>> series,
            Function<JmhResult, String> label) throws IOException {
        CategoryChart chart = chart(title, yTitle);
        List<String> categories = categories(series, label);
        series.forEach((name, rs) -> {
            List<Double> values = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (String c : categories) {
                JmhResult r = rs.stream().filter(x -> label.apply(x).equals(c)).findFirst().orElse(null);
                values.add(r == null ? 0.0 : r.score());
                errors.add(r == null || Double.isNaN(r.error()) ? 0.0 : r.error());
            }
            chart.addSeries(name, categories, values, errors);
        });
        save(chart, file);
    }

    /**
     * A derived value per contender (workers/s, bytes, ns per cancel), one series per group; each
     * {@code extra} entry adds a bar "CPython asyncio" to the series of that name.
     */
    static void rates(Path file, String title, String yTitle, Map<String, List<JmhResult>> series,
            ToDoubleFunction<JmhResult> value, List<Map.Entry<String, Double>> extra) throws IOException {
        CategoryChart chart = chart(title, yTitle);
        List<String> categories = categories(series, JmhResult::method);
        boolean withPython = extra.stream().anyMatch(e -> !e.getValue().isNaN());
        if (withPython) {
            categories.add("CPython asyncio");
        }
        series.forEach((name, rs) -> {
            List<Double> values = new ArrayList<>();
            for (String c : categories) {
                if (c.equals("CPython asyncio")) {
                    values.add(extra.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue)
                            .filter(v -> !v.isNaN()).findFirst().orElse(0.0));
                } else {
                    values.add(rs.stream().filter(x -> x.method().equals(c)).findFirst()
                            .map(value::applyAsDouble).orElse(0.0));
                }
            }
            chart.addSeries(name, categories, values);
        });
        save(chart, file);
    }

    private static CategoryChart chart(String title, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("contender").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisLabelRotation(35);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        return chart;
    }

    private static List<String> categories(Map<String, List<JmhResult>> series, Function<JmhResult, String> label) {
        Set<String> names = new LinkedHashSet<>();
        series.values().forEach(rs -> rs.forEach(r -> names.add(label.apply(r))));
        return new ArrayList<>(names);
    }

    private static void save(CategoryChart chart, Path file) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
