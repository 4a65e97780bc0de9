package dev.facteur.processes.ideas;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** An Idea Spec as a person submits it. Every constraint names the field a 422 reports. */
public record IdeaSpec(
        @NotBlank @Size(max = 200) String title,
        @NotBlank @Size(max = 10_000) String goal,
        @NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 1000) String> constraints,
        @NotEmpty @Size(max = 50) List<@NotBlank @Size(max = 1000) String> successMetrics,
        @Pattern(regexp = "low|medium|high|critical", message = "must be one of low, medium, high, critical")
        String priority,
        @Size(max = 20) List<@Pattern(regexp = "[a-z0-9][a-z0-9-]{0,49}",
                message = "must be a lower-case label such as high-risk") String> riskLabels,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", message = "must look like owner/repo")
        String repository) {

    public IdeaSpec {
        priority = priority == null ? "medium" : priority;
        riskLabels = riskLabels == null ? List.of() : riskLabels;
    }
}
