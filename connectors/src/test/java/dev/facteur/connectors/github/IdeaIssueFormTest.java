package dev.facteur.connectors.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdeaIssueFormTest {

    private static final String RENDERED = """
            ### Goal

            Give users a hello endpoint

            ### Constraints

            - no new dependencies
            - keep it small

            ### Success metrics

            1. GET /hello answers 200
            2. p99 latency under 50 ms

            ### Priority

            critical

            ### Risk labels

            - [X] high-risk
            - [ ] security
            - [x] auth

            ### Repository

            _No response_""";

    @Test
    void readsEveryFieldOfTheBodyGitHubRendersFromTheForm() {
        IdeaIssueForm.Parsed parsed =
                IdeaIssueForm.parse("[Idea]: Hello endpoint", RENDERED.replace("\n", "\r\n"), "octo/hello");

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.title()).isEqualTo("Hello endpoint");
        assertThat(parsed.goal()).isEqualTo("Give users a hello endpoint");
        assertThat(parsed.constraints()).containsExactly("no new dependencies", "keep it small");
        assertThat(parsed.successMetrics()).containsExactly("GET /hello answers 200", "p99 latency under 50 ms");
        assertThat(parsed.priority()).isEqualTo("critical");
        assertThat(parsed.riskLabels()).containsExactly("high-risk", "auth");
        assertThat(parsed.repository()).isEqualTo("octo/hello");
    }

    @Test
    void namesEachMissingOrBadFieldByItsFormLabel() {
        String body = """
                ### Goal

                _No response_

                ### Constraints

                no new dependencies

                ### Success metrics

                GET /hello answers 200

                ### Priority

                urgent

                ### Repository

                not a repo""";

        IdeaIssueForm.Parsed parsed = IdeaIssueForm.parse("[Idea]: ", body, "octo/hello");

        assertThat(parsed.valid()).isFalse();
        assertThat(parsed.problems())
                .containsExactly(
                        "Title: must not be empty",
                        "Goal: is required",
                        "Priority: must be one of low, medium, high, critical (was 'urgent')",
                        "Repository: must look like owner/repo (was 'not a repo')");
    }

    @Test
    void anIssueIsAnIdeaByItsLabelOrItsGoalSection() {
        assertThat(IdeaIssueForm.isIdea(List.of("Idea"), "")).isTrue();
        assertThat(IdeaIssueForm.isIdea(List.of(), RENDERED)).isTrue();
        assertThat(IdeaIssueForm.isIdea(List.of("bug"), "It crashes when I click."))
                .isFalse();
    }
}
