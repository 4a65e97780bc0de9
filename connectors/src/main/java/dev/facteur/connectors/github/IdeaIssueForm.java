package dev.facteur.connectors.github;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the issue body GitHub renders from {@code .github/ISSUE_TEMPLATE/idea.yml}: one
 * {@code ### <label>} heading per field, the answer below it, {@code _No response_} for an empty one,
 * {@code - [X] option} for ticked checkboxes. Every problem is named by the form's label so the
 * comment telling the author what to fix matches what they see.
 */
public final class IdeaIssueForm {

    public static final String LABEL = "idea";
    static final String GOAL = "Goal";
    static final String CONSTRAINTS = "Constraints";
    static final String SUCCESS_METRICS = "Success metrics";
    static final String PRIORITY = "Priority";
    static final String RISK_LABELS = "Risk labels";
    static final String REPOSITORY = "Repository";

    private static final Pattern HEADING = Pattern.compile("(?m)^###\\s+(.+?)\\s*$");
    private static final Pattern TICKED = Pattern.compile("(?m)^\\s*[-*]\\s+\\[[xX]]\\s+(.+?)\\s*$");
    private static final Pattern LIST_MARK = Pattern.compile("^\\s*(?:[-*+]|\\d+[.)])\\s+");
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
    private static final Set<String> PRIORITIES = Set.of("low", "medium", "high", "critical");

    private IdeaIssueForm() {}

    /** An issue is an idea when it carries the template's label or its body has the template's Goal section. */
    public static boolean isIdea(List<String> labels, String body) {
        return labels.stream().anyMatch(LABEL::equalsIgnoreCase)
                || body != null && sections(body).containsKey(GOAL.toLowerCase(Locale.ROOT));
    }

    public static Parsed parse(String title, String body, String issueRepository) {
        Map<String, String> sections = sections(body == null ? "" : body);
        List<String> problems = new ArrayList<>();
        String cleanTitle =
                title == null ? "" : title.replaceFirst("^\\[Idea]:\\s*", "").trim();
        if (cleanTitle.isEmpty()) {
            problems.add("Title: must not be empty");
        } else if (cleanTitle.length() > 200) {
            problems.add("Title: must be at most 200 characters");
        }
        String goal = answer(sections, GOAL);
        if (goal.isEmpty()) {
            problems.add(GOAL + ": is required");
        } else if (goal.length() > 10_000) {
            problems.add(GOAL + ": must be at most 10000 characters");
        }
        List<String> constraints = lines(answer(sections, CONSTRAINTS));
        if (constraints.isEmpty()) {
            problems.add(CONSTRAINTS + ": is required (one per line)");
        }
        List<String> metrics = lines(answer(sections, SUCCESS_METRICS));
        if (metrics.isEmpty()) {
            problems.add(SUCCESS_METRICS + ": is required (one per line)");
        }
        String priority = answer(sections, PRIORITY).toLowerCase(Locale.ROOT);
        if (priority.isEmpty()) {
            priority = "medium";
        } else if (!PRIORITIES.contains(priority)) {
            problems.add(PRIORITY + ": must be one of low, medium, high, critical (was '" + priority + "')");
        }
        List<String> risks = new ArrayList<>();
        Matcher ticked = TICKED.matcher(sections.getOrDefault(RISK_LABELS.toLowerCase(Locale.ROOT), ""));
        while (ticked.find()) {
            risks.add(ticked.group(1).toLowerCase(Locale.ROOT));
        }
        String repository = answer(sections, REPOSITORY);
        if (repository.isEmpty()) {
            repository = issueRepository;
        } else if (!REPO.matcher(repository).matches()) {
            problems.add(REPOSITORY + ": must look like owner/repo (was '" + repository + "')");
        }
        return new Parsed(cleanTitle, goal, constraints, metrics, priority, risks, repository, problems);
    }

    private static Map<String, String> sections(String body) {
        Map<String, String> sections = new LinkedHashMap<>();
        String normalised = body.replace("\r\n", "\n");
        Matcher heading = HEADING.matcher(normalised);
        String current = null;
        int start = 0;
        while (heading.find()) {
            if (current != null) {
                sections.put(
                        current, normalised.substring(start, heading.start()).trim());
            }
            current = heading.group(1).trim().toLowerCase(Locale.ROOT);
            start = heading.end();
        }
        if (current != null) {
            sections.put(current, normalised.substring(start).trim());
        }
        return sections;
    }

    private static String answer(Map<String, String> sections, String label) {
        String value = sections.getOrDefault(label.toLowerCase(Locale.ROOT), "").trim();
        return value.equals("_No response_") ? "" : value;
    }

    private static List<String> lines(String value) {
        return value.lines()
                .map(line -> LIST_MARK.matcher(line).replaceFirst("").trim())
                .filter(line -> !line.isEmpty())
                .toList();
    }

    /** The idea as the form gave it; {@code problems} is empty when it is valid. */
    public record Parsed(
            String title,
            String goal,
            List<String> constraints,
            List<String> successMetrics,
            String priority,
            List<String> riskLabels,
            String repository,
            List<String> problems) {

        public boolean valid() {
            return problems.isEmpty();
        }
    }
}
