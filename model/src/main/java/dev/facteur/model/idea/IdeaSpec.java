package dev.facteur.model.idea;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * An Idea Spec as a person submits it, on whichever entrance: these constraints are the one validation of every
 * entrance (REST, GitHub issue, Discord {@code /idea}, CodexTask over HTTP and Kafka, {@code codex.intent}; see
 * {@code IdeaValidation} in processes), and the README's table of input limits lists them. Each names the field a
 * 422 reports.
 */
public record IdeaSpec(
        @NotBlank @Size(max = TITLE) @PlainText String title,

        @NotBlank @Size(max = GOAL) @PlainText(multiline = true)
        String goal,

        @NotEmpty @Size(max = ITEMS) List<@NotBlank @Size(max = ITEM) @PlainText(multiline = true) String> constraints,

        @NotEmpty @Size(max = ITEMS)
        List<@NotBlank @Size(max = ITEM) @PlainText(multiline = true) String> successMetrics,

        @Pattern(regexp = "low|medium|high|critical", message = "must be one of low, medium, high, critical")
        String priority,

        @Size(max = LABELS)
        List<
                        @NotNull
                        @Pattern(
                                regexp = LABEL_PATTERN,
                                message = "must be a lower-case label such as high-risk (a-z, 0-9, '-', at most 50)")
                        String>
                riskLabels,

        @NotBlank
        @Size(max = REPOSITORY)
        @Pattern(
                regexp = REPOSITORY_PATTERN,
                message = "must be a GitHub owner/name: owner of letters, digits and single inner hyphens (at most 39),"
                        + " name of letters, digits, '.', '_', '-' (at most 100, not '.' or '..')")
        String repository) {

    public static final int TITLE = 200;
    public static final int GOAL = 10_000;
    public static final int ITEMS = 50;
    public static final int ITEM = 1000;
    public static final int LABELS = 20;
    public static final int REPOSITORY = 140;
    public static final String LABEL_PATTERN = "[a-z0-9][a-z0-9-]{0,49}";
    /** GitHub's rules: owner 1–39 of letters, digits, inner single hyphens; name 1–100 of [A-Za-z0-9._-], not . or .. */
    public static final String REPOSITORY_PATTERN =
            "(?=[A-Za-z0-9-]{1,39}/)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*/(?!\\.\\.?$)[A-Za-z0-9._-]{1,100}";

    public IdeaSpec {
        priority = priority == null ? "medium" : priority;
        riskLabels = riskLabels == null ? List.of() : riskLabels;
    }
}
