package dev.facteur.processes.plan;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The plan as a picture: the idea's task DAG as SVG, one column per dependency depth, each node coloured by its
 * state and carrying its runs, their total duration and token cost, arrows from a task to those that wait for
 * it; below it the policy decisions and whether the audit chain verifies. Every text is escaped.
 */
public final class PlanPicture {

    public record Node(String key, String title, String state, List<String> dependsOn, List<RunFigures> runs) {}

    public record RunFigures(String stage, int attempt, String status, long wallMillis, long tokens, BigDecimal cost) {}

    public record Decision(String checkpoint, String ruleId, String outcome, String reason) {}

    public record Plan(
            String ideaId,
            String title,
            String state,
            List<Node> nodes,
            List<Decision> decisions,
            boolean auditVerifies,
            String currency) {}

    static final Map<String, String> FILL = Map.of(
            "PENDING",
            "#eceff1",
            "QUEUED",
            "#fff3cd",
            "RUNNING",
            "#cfe2ff",
            "DONE",
            "#d1e7dd",
            "FAILED",
            "#f8d7da",
            "CANCELLED",
            "#e2e3e5");
    private static final int WIDTH = 240;
    private static final int HEIGHT = 84;
    private static final int COLUMN = 300;
    private static final int ROW = 110;
    private static final int TOP = 56;
    private static final int LEFT = 20;

    private PlanPicture() {}

    public static String svg(Plan plan) {
        Map<String, Integer> depth = depths(plan.nodes());
        Map<Integer, Integer> rows = new HashMap<>();
        Map<String, int[]> at = new LinkedHashMap<>();
        for (Node node : plan.nodes()) {
            int column = depth.get(node.key());
            int row = rows.merge(column, 1, Integer::sum) - 1;
            at.put(node.key(), new int[] {LEFT + column * COLUMN, TOP + row * ROW});
        }
        int columns = depth.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        int maxRows = rows.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int width = Math.max(640, LEFT * 2 + Math.max(columns, 1) * COLUMN - (COLUMN - WIDTH));
        int footer = TOP + Math.max(maxRows, 1) * ROW + 10;
        int height = footer + 40 + 18 * (plan.decisions().size() + 1);

        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"facteur-plan\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" font-family=\"Arial, sans-serif\" font-size=\"12\">\n")
                .append(
                        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
                                + "markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
        text(svg, LEFT, 24, 15, "bold", "Plan of " + plan.ideaId() + ": " + plan.title());
        text(
                svg,
                LEFT,
                42,
                12,
                "normal",
                "idea state " + plan.state() + " · " + plan.nodes().size() + " task(s)");
        if (plan.nodes().isEmpty()) {
            text(svg, LEFT, TOP + 30, 13, "normal", "No plan yet: the planning stage has not produced tasks.");
        }
        for (Node node : plan.nodes()) {
            int[] to = at.get(node.key());
            for (String dependency : node.dependsOn()) {
                int[] from = at.get(dependency);
                if (from != null) {
                    int x1 = from[0] + WIDTH;
                    int y1 = from[1] + HEIGHT / 2;
                    int x2 = to[0];
                    int y2 = to[1] + HEIGHT / 2;
                    svg.append("<path class=\"dependency\" data-from=\"")
                            .append(escape(dependency))
                            .append("\" data-to=\"")
                            .append(escape(node.key()))
                            .append("\" d=\"M")
                            .append(x1)
                            .append(',')
                            .append(y1)
                            .append(" C")
                            .append(x1 + 35)
                            .append(',')
                            .append(y1)
                            .append(' ')
                            .append(x2 - 35)
                            .append(',')
                            .append(y2)
                            .append(' ')
                            .append(x2)
                            .append(',')
                            .append(y2)
                            .append(
                                    "\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>\n");
                }
            }
        }
        for (Node node : plan.nodes()) {
            int[] p = at.get(node.key());
            svg.append("<g class=\"task\" data-task=\"")
                    .append(escape(node.key()))
                    .append("\" data-state=\"")
                    .append(escape(node.state()))
                    .append("\">\n");
            svg.append("<rect x=\"")
                    .append(p[0])
                    .append("\" y=\"")
                    .append(p[1])
                    .append("\" width=\"")
                    .append(WIDTH)
                    .append("\" height=\"")
                    .append(HEIGHT)
                    .append("\" rx=\"8\" fill=\"")
                    .append(FILL.getOrDefault(node.state(), "#ffffff"))
                    .append("\" stroke=\"#444\"/>\n");
            text(svg, p[0] + 10, p[1] + 18, 12, "bold", shorten(node.key() + " · " + node.title(), 36));
            text(svg, p[0] + 10, p[1] + 36, 12, "normal", node.state());
            text(svg, p[0] + 10, p[1] + 54, 11, "normal", runsLine(node.runs()));
            text(svg, p[0] + 10, p[1] + 70, 11, "normal", costLine(node.runs(), plan.currency()));
            svg.append("</g>\n");
        }
        text(
                svg,
                LEFT,
                footer + 16,
                13,
                "bold",
                "Audit chain: "
                        + (plan.auditVerifies() ? "verifies" : "BROKEN — GET /api/ideas/" + plan.ideaId() + "/audit"));
        text(
                svg,
                LEFT,
                footer + 36,
                13,
                "bold",
                "Policy decisions" + (plan.decisions().isEmpty() ? ": none yet" : ""));
        int y = footer + 54;
        for (Decision decision : plan.decisions()) {
            text(
                    svg,
                    LEFT,
                    y,
                    12,
                    "normal",
                    decision.checkpoint() + " · " + decision.ruleId() + " · " + decision.outcome()
                            + (decision.reason() == null ? "" : " — " + shorten(decision.reason(), 90)));
            y += 18;
        }
        return svg.append("</svg>\n").toString();
    }

    /** Column of each task: 0 without dependencies, else one more than its deepest dependency (cycles cut). */
    private static Map<String, Integer> depths(List<Node> nodes) {
        Map<String, Node> byKey = new LinkedHashMap<>();
        nodes.forEach(node -> byKey.put(node.key(), node));
        Map<String, Integer> depth = new HashMap<>();
        for (Node node : nodes) {
            depth(node, byKey, depth, new ArrayList<>());
        }
        return depth;
    }

    private static int depth(Node node, Map<String, Node> byKey, Map<String, Integer> depth, List<String> path) {
        Integer known = depth.get(node.key());
        if (known != null) {
            return known;
        }
        if (path.contains(node.key())) {
            return 0;
        }
        path.add(node.key());
        int deepest = -1;
        for (String dependency : node.dependsOn()) {
            Node parent = byKey.get(dependency);
            if (parent != null) {
                deepest = Math.max(deepest, depth(parent, byKey, depth, path));
            }
        }
        path.remove(node.key());
        depth.put(node.key(), deepest + 1);
        return deepest + 1;
    }

    private static String runsLine(List<RunFigures> runs) {
        if (runs.isEmpty()) {
            return "no runs yet";
        }
        long millis = runs.stream().mapToLong(RunFigures::wallMillis).sum();
        RunFigures last = runs.get(runs.size() - 1);
        return runs.size() + " run(s) · " + duration(millis) + " · last #" + last.attempt() + " " + last.status();
    }

    private static String costLine(List<RunFigures> runs, String currency) {
        long tokens = runs.stream().mapToLong(RunFigures::tokens).sum();
        BigDecimal cost =
                runs.stream().map(RunFigures::cost).filter(c -> c != null).reduce(BigDecimal.ZERO, BigDecimal::add);
        return String.format(Locale.ROOT, "%,d tokens · %s %.4f", tokens, currency, cost);
    }

    static String duration(long millis) {
        Duration d = Duration.ofMillis(millis);
        return d.toMinutes() > 0
                ? d.toMinutes() + "m " + d.toSecondsPart() + "s"
                : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    private static void text(StringBuilder svg, int x, int y, int size, String weight, String content) {
        svg.append("<text x=\"")
                .append(x)
                .append("\" y=\"")
                .append(y)
                .append("\" font-size=\"")
                .append(size)
                .append("\" font-weight=\"")
                .append(weight)
                .append("\">")
                .append(escape(content))
                .append("</text>\n");
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
