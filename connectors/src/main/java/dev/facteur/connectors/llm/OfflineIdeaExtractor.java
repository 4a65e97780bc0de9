package dev.facteur.connectors.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The offline default summariser: a rule-based extractor, not a language model. It splits the text into
 * sentences or lines; those introduced by constraint words ("must not", "without", "constraint:") become
 * constraints, those introduced by outcome words ("success:", "metric:", "measured by", "should answer")
 * or carrying a number with a unit become success metrics, the first sentence becomes the title and the
 * rest the goal. Fields it cannot find stay empty so the caller can ask for them.
 */
public class OfflineIdeaExtractor implements IdeaSummariser {

    private static final Pattern SPLIT = Pattern.compile("(?<=[.!?])\\s+|\\n+|;\\s*");
    private static final Pattern CONSTRAINT = Pattern.compile(
            "^(constraints?:|must not|mustn't|without|do not|don't|never|no new|only |keep |within budget)");
    private static final Pattern METRIC = Pattern.compile(
            "^(success( metrics?)?:|metrics?:|measured by|done when|should (answer|return|respond|reach)|"
                    + "p\\d{2}|latency|error rate)|\\b\\d+(\\.\\d+)?\\s?(ms|s|%|rps|req/s|users|mb|gb)\\b");
    private static final Pattern LABEL = Pattern.compile("^(constraints?|success( metrics?)?|metrics?|goal):\\s*",
            Pattern.CASE_INSENSITIVE);

    @Override
    public Summary summarise(String text) {
        List<String> constraints = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        List<String> goal = new ArrayList<>();
        for (String raw : SPLIT.split(text == null ? "" : text.trim())) {
            String sentence = raw.replaceFirst("^\\s*[-*]\\s+", "").trim();
            if (sentence.isEmpty()) {
                continue;
            }
            String lower = sentence.toLowerCase(Locale.ROOT);
            if (CONSTRAINT.matcher(lower).find()) {
                constraints.add(LABEL.matcher(sentence).replaceFirst(""));
            } else if (METRIC.matcher(lower).find()) {
                metrics.add(LABEL.matcher(sentence).replaceFirst(""));
            } else {
                goal.add(LABEL.matcher(sentence).replaceFirst(""));
            }
        }
        String title = goal.isEmpty() ? "" : shorten(goal.get(0).replaceFirst("[.!?]$", ""));
        return new Summary(title, String.join(" ", goal), constraints, metrics);
    }

    private static String shorten(String sentence) {
        return sentence.length() <= 80 ? sentence : sentence.substring(0, 77).replaceFirst("\\s+\\S*$", "") + "...";
    }
}
