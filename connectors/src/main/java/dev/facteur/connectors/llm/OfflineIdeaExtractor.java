package dev.facteur.connectors.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline default summariser: a rule-based extractor, not a language model. It splits the text into
 * lines, bullets and sentences and sorts each one:
 * <ul>
 *   <li>a label ("Constraints:", "Success:", "Metrics -", "Done when …", "Goal:") decides, and a line that is
 *       only a label ("## Constraints", "Success metrics:") decides for the bullets below it;
 *   <li>the first sentence is the goal and gives the title;
 *   <li>a limit — "must not", "should not", "cannot", "no new …", "without adding …", "at most", "keep …",
 *       "only …", "backwards compatible" — is a constraint;
 *   <li>something measurable — a number with a unit, "p99", "error rate", "under 2 s", "reduce … by 30 %" —
 *       is a success metric;
 *   <li>otherwise "must / has to / needs to …" is a constraint, "should …" or "so that …" a success metric,
 *       and anything else belongs to the goal.
 * </ul>
 * Fields it cannot find stay empty so the caller can ask for them.
 */
public class OfflineIdeaExtractor implements IdeaSummariser {

    private static final Pattern LINES = Pattern.compile("\\r?\\n+");
    private static final Pattern SENTENCES = Pattern.compile("(?<=[.!?])\\s+(?=\\S)|;\\s*");
    private static final Pattern BULLET = Pattern.compile("^\\s*(?:[-*•]|\\d+[.)]|#+)\\s+");
    private static final String SEPARATOR = "(?:\\s*[:—]|\\s+-)\\s*";

    private static final Pattern CONSTRAINT_LABEL = Pattern.compile(
            "^(?:constraints?|limits?|limitations?" + "|requirements?|restrictions?|non[- ]goals?|guardrails?)"
                    + SEPARATOR,
            Pattern.CASE_INSENSITIVE);
    private static final Pattern METRIC_LABEL = Pattern.compile(
            "^(?:(?:(?:success|acceptance)(?: metrics?"
                    + "| criteria| looks like| means)?|metrics?|kpis?|targets?|definition of done)" + SEPARATOR
                    + "|(?:done when|measured by|we(?:'ll| will) know (?:it works|it worked|we're done) (?:when|if)"
                    + "|it works (?:when|if))\\s*:?\\s*)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern GOAL_LABEL =
            Pattern.compile("^(?:goal|idea|title|summary|problem|context)" + SEPARATOR, Pattern.CASE_INSENSITIVE);

    private static final Pattern LIMIT = Pattern.compile("\\b(?:must not|mustn't|must never|should not|shouldn't"
            + "|shall not|may not|cannot|can't|not allowed|forbidden|no new|no (?:extra|additional|external|breaking)"
            + "|without (?:adding|breaking|changing|touching|increasing|any|new|a new|downtime|extra)|at most"
            + "|no more than|within (?:the )?budget|backwards?[- ]compatible)\\b"
            + "|^(?:do not|don't|never|avoid|only|keep|stay|limit|no|without)\\b");
    private static final Pattern MEASURABLE = Pattern.compile("\\b(?:p\\d{2}|percentile|latency|error rate|uptime"
            + "|availability|conversion|throughput|zero (?:errors|failures|incidents|downtime|regressions)"
            + "|(?:under|below|above|over|less than|more than|at least|fewer than|within|by|to) \\$?\\d"
            + "|(?:drops?|falls?|reduces?|reduced|cuts?|increases?|increased|improves?|improved|grows?|rises?)"
            + "(?: \\w+){0,4} (?:by|to|under|below|above) \\d)"
            + "|\\d+(?:[.,]\\d+)?\\s?(?:ms|s|secs?|seconds|minutes|mins?|%|rps|req/s|qps|users|mb|gb|kb|x)(?![a-z])");
    private static final Pattern OBLIGATION =
            Pattern.compile("\\b(?:must|has to|have to|needs? to|is required to|are required to|required)\\b");
    private static final Pattern OUTCOME = Pattern.compile("\\b(?:should|so that|so users|success"
            + "|we(?:'ll| will) know|will be able|are able to|is able to|can now)\\b");

    private enum Kind {
        GOAL,
        CONSTRAINT,
        METRIC
    }

    @Override
    public Summary summarise(String text) {
        List<String> constraints = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        List<String> goal = new ArrayList<>();
        Kind section = null;
        for (String line : LINES.split(text == null ? "" : text.strip())) {
            boolean bullet = BULLET.matcher(line).find();
            String content = BULLET.matcher(line).replaceFirst("").strip();
            Kind heading = heading(content);
            if (heading != null) {
                section = heading;
                continue;
            }
            if (!bullet && !content.isEmpty()) {
                section = null;
            }
            for (String raw : SENTENCES.split(content)) {
                String sentence = raw.strip();
                boolean first = goal.isEmpty() && constraints.isEmpty() && metrics.isEmpty();
                Kind kind = classify(sentence, first, section);
                String value = withoutLabel(sentence);
                if (value.isEmpty()) {
                    continue;
                }
                (kind == Kind.CONSTRAINT ? constraints : kind == Kind.METRIC ? metrics : goal).add(value);
            }
        }
        String title = goal.isEmpty() ? "" : shorten(goal.get(0).replaceFirst("[.!?]$", ""));
        return new Summary(title, String.join(" ", goal), constraints, metrics);
    }

    private static Kind classify(String sentence, boolean first, Kind section) {
        if (CONSTRAINT_LABEL.matcher(sentence).find()) {
            return Kind.CONSTRAINT;
        }
        if (METRIC_LABEL.matcher(sentence).find()) {
            return Kind.METRIC;
        }
        if (GOAL_LABEL.matcher(sentence).find() || first && section == null) {
            return Kind.GOAL;
        }
        if (section != null) {
            return section;
        }
        String lower = sentence.toLowerCase(Locale.ROOT);
        if (LIMIT.matcher(lower).find()) {
            return Kind.CONSTRAINT;
        }
        if (MEASURABLE.matcher(lower).find()) {
            return Kind.METRIC;
        }
        if (OBLIGATION.matcher(lower).find()) {
            return Kind.CONSTRAINT;
        }
        return OUTCOME.matcher(lower).find() ? Kind.METRIC : Kind.GOAL;
    }

    /** A line that is only a label ("Constraints:", "## Success metrics", "Done when:") heads the bullets below. */
    private static Kind heading(String content) {
        String label = content.replaceFirst("\\s*[:—]\\s*$", "");
        if (label.isEmpty() || !label.matches("(?i)[a-z' -]{2,40}")) {
            return null;
        }
        for (Kind kind : Kind.values()) {
            if (label(kind).matcher(label + ":").matches()) {
                return kind;
            }
        }
        return null;
    }

    private static Pattern label(Kind kind) {
        return switch (kind) {
            case CONSTRAINT -> CONSTRAINT_LABEL;
            case METRIC -> METRIC_LABEL;
            case GOAL -> GOAL_LABEL;
        };
    }

    private static String withoutLabel(String sentence) {
        for (Kind kind : Kind.values()) {
            Matcher matcher = label(kind).matcher(sentence);
            if (matcher.find()) {
                return sentence.substring(matcher.end()).strip();
            }
        }
        return sentence;
    }

    private static String shorten(String sentence) {
        return sentence.length() <= 80 ? sentence : sentence.substring(0, 77).replaceFirst("\\s+\\S*$", "") + "...";
    }
}
