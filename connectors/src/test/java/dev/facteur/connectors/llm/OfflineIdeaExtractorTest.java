package dev.facteur.connectors.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OfflineIdeaExtractorTest {

    private final OfflineIdeaExtractor extractor = new OfflineIdeaExtractor();

    @Test
    void sortsSentencesIntoGoalConstraintsAndSuccessMetrics() {
        IdeaSummariser.Summary summary = extractor.summarise("""
                Let customers export their invoices as CSV. Constraint: no new dependencies
                - must not change the public API
                Success: the export of 10000 invoices finishes within 2 s; p99 latency under 300 ms""");

        assertThat(summary.title()).isEqualTo("Let customers export their invoices as CSV");
        assertThat(summary.goal()).isEqualTo("Let customers export their invoices as CSV.");
        assertThat(summary.constraints()).containsExactly("no new dependencies", "must not change the public API");
        assertThat(summary.successMetrics())
                .containsExactly("the export of 10000 invoices finishes within 2 s", "p99 latency under 300 ms");
    }

    @Test
    void leavesFieldsItCannotFindEmptyRatherThanInventingThem() {
        IdeaSummariser.Summary summary = extractor.summarise("Make the dashboard nicer");

        assertThat(summary.title()).isEqualTo("Make the dashboard nicer");
        assertThat(summary.constraints()).isEmpty();
        assertThat(summary.successMetrics()).isEmpty();
    }

    @Test
    void aLineThatIsOnlyALabelHeadsTheBulletsBelowIt() {
        IdeaSummariser.Summary summary = extractor.summarise("""
                ## Goal
                Move image resizing off the request thread.
                ## Constraints
                - Postgres only
                - the worker pool shares the existing deployment
                ## Success metrics
                - uploads feel instant
                - zero errors in the resize queue for a week""");

        assertThat(summary.goal()).isEqualTo("Move image resizing off the request thread.");
        assertThat(summary.constraints())
                .containsExactly("Postgres only", "the worker pool shares the existing deployment");
        assertThat(summary.successMetrics())
                .containsExactly("uploads feel instant", "zero errors in the resize queue for a week");
    }

    /** Ideas as people type them into Discord or an issue: goal, then constraints and metrics as plain sentences. */
    static List<Arguments> phrasings() {
        return List.of(
                idea(
                        "Add rate limiting. It must not add dependencies. Success: p99 under 100 ms.",
                        "Add rate limiting",
                        List.of("It must not add dependencies."),
                        List.of("p99 under 100 ms.")),
                idea(
                        "Add dark mode to the settings page. Don't touch the billing pages. "
                                + "Users should be able to switch themes without reloading.",
                        "Add dark mode to the settings page",
                        List.of("Don't touch the billing pages."),
                        List.of("Users should be able to switch themes without reloading.")),
                idea(
                        "Cache the product catalogue in Redis. We cannot change the public API. "
                                + "Page load should drop below 300ms.",
                        "Cache the product catalogue in Redis",
                        List.of("We cannot change the public API."),
                        List.of("Page load should drop below 300ms.")),
                idea(
                        "Let admins export audit logs as CSV\nMust stay backwards compatible with v2 clients\n"
                                + "Done when an export of 1M rows finishes in under 30 s",
                        "Let admins export audit logs as CSV",
                        List.of("Must stay backwards compatible with v2 clients"),
                        List.of("an export of 1M rows finishes in under 30 s")),
                idea(
                        "Migrate the nightly report job to the queue. Should not add new infrastructure; "
                                + "error rate stays below 0.1%.",
                        "Migrate the nightly report job to the queue",
                        List.of("Should not add new infrastructure"),
                        List.of("error rate stays below 0.1%.")),
                idea(
                        "Retry failed webhook deliveries with backoff. No new services. "
                                + "Success metric: 99.9% of webhooks delivered within 5 minutes.",
                        "Retry failed webhook deliveries with backoff",
                        List.of("No new services."),
                        List.of("99.9% of webhooks delivered within 5 minutes.")),
                idea(
                        "Speed up CI. Only touch the GitHub Actions workflows. Build time down to 8 minutes.",
                        "Speed up CI",
                        List.of("Only touch the GitHub Actions workflows."),
                        List.of("Build time down to 8 minutes.")),
                idea(
                        "Show a password strength meter on sign-up. Keep the bundle size increase under 20 kb. "
                                + "Fewer than 5% of new passwords should be rated weak.",
                        "Show a password strength meter on sign-up",
                        List.of("Keep the bundle size increase under 20 kb."),
                        List.of("Fewer than 5% of new passwords should be rated weak.")),
                idea(
                        "Paginate the /orders endpoint. Has to remain compatible with the mobile app. "
                                + "We'll know it works when the endpoint answers in less than 200 ms for 10k orders.",
                        "Paginate the /orders endpoint",
                        List.of("Has to remain compatible with the mobile app."),
                        List.of("the endpoint answers in less than 200 ms for 10k orders.")),
                idea(
                        "Add SSO login with Google\n- no changes to the user table\n- p95 login latency under 1s",
                        "Add SSO login with Google",
                        List.of("no changes to the user table"),
                        List.of("p95 login latency under 1s")),
                idea(
                        "Replace the cron-based cleanup with a scheduled task. Without downtime. "
                                + "Disk usage reduced by 40% after a week.",
                        "Replace the cron-based cleanup with a scheduled task",
                        List.of("Without downtime."),
                        List.of("Disk usage reduced by 40% after a week.")),
                idea(
                        "Send a weekly digest email. Avoid third-party email services. " + "Open rate above 25%.",
                        "Send a weekly digest email",
                        List.of("Avoid third-party email services."),
                        List.of("Open rate above 25%.")),
                idea(
                        "Make search typo tolerant. It needs to run on the existing Postgres. "
                                + "Searches with one typo should still find the right product.",
                        "Make search typo tolerant",
                        List.of("It needs to run on the existing Postgres."),
                        List.of("Searches with one typo should still find the right product.")),
                idea(
                        "Add a health check endpoint for the load balancer. Must never require authentication. "
                                + "Acceptance criteria: GET /healthz answers 200 when the database is up.",
                        "Add a health check endpoint for the load balancer",
                        List.of("Must never require authentication."),
                        List.of("GET /healthz answers 200 when the database is up.")),
                idea(
                        "Compress API responses. At most one new library. Payloads 60% smaller on average.",
                        "Compress API responses",
                        List.of("At most one new library."),
                        List.of("Payloads 60% smaller on average.")),
                idea(
                        "Archive old tickets automatically. Limits: never delete anything, only move it. "
                                + "KPI: ticket list loads 2x faster.",
                        "Archive old tickets automatically",
                        List.of("never delete anything, only move it."),
                        List.of("ticket list loads 2x faster.")),
                idea(
                        "Translate the checkout into German. Constraints: reuse the existing i18n files. "
                                + "Conversion in Germany should improve by 10%.",
                        "Translate the checkout into German",
                        List.of("reuse the existing i18n files."),
                        List.of("Conversion in Germany should improve by 10%.")),
                idea(
                        "Give support agents a read-only view of customer accounts. Agents may not edit billing data. "
                                + "Support tickets resolved 20% faster so that customers wait less.",
                        "Give support agents a read-only view of customer accounts",
                        List.of("Agents may not edit billing data."),
                        List.of("Support tickets resolved 20% faster so that customers wait less.")),
                idea(
                        "Detect duplicate uploads. The upload API shouldn't get slower. "
                                + "Storage growth drops to 5 GB per month.",
                        "Detect duplicate uploads",
                        List.of("The upload API shouldn't get slower."),
                        List.of("Storage growth drops to 5 GB per month.")),
                idea(
                        "Add an audit trail for permission changes. It has to use the existing event table. "
                                + "Every permission change is visible in the audit view within 1 minute.",
                        "Add an audit trail for permission changes",
                        List.of("It has to use the existing event table."),
                        List.of("Every permission change is visible in the audit view within 1 minute.")),
                idea(
                        "Let users schedule posts. No breaking changes to the posts API. "
                                + "Scheduled posts should go out on time, at least 99% of them.",
                        "Let users schedule posts",
                        List.of("No breaking changes to the posts API."),
                        List.of("Scheduled posts should go out on time, at least 99% of them.")),
                idea(
                        "Goal: shorten the onboarding flow\nRequirements - must work on mobile Safari\n"
                                + "Metrics - completion rate up by 15%",
                        "shorten the onboarding flow",
                        List.of("must work on mobile Safari"),
                        List.of("completion rate up by 15%")),
                idea(
                        "Add feature flags to the billing service. Keep it behind the admin role. "
                                + "Measured by: flags toggle without a deploy.",
                        "Add feature flags to the billing service",
                        List.of("Keep it behind the admin role."),
                        List.of("flags toggle without a deploy.")),
                idea(
                        "Index the orders table by customer. Must be done in a single migration. "
                                + "The customer orders page should load faster.",
                        "Index the orders table by customer",
                        List.of("Must be done in a single migration."),
                        List.of("The customer orders page should load faster.")));
    }

    @ParameterizedTest
    @MethodSource("phrasings")
    void recognisesConstraintsAndSuccessMetricsWrittenAsPlainSentences(
            String text, String title, List<String> constraints, List<String> metrics) {
        IdeaSummariser.Summary summary = extractor.summarise(text);

        assertThat(summary.title()).isEqualTo(title);
        assertThat(summary.constraints()).isEqualTo(constraints);
        assertThat(summary.successMetrics()).isEqualTo(metrics);
    }

    private static Arguments idea(String text, String title, List<String> constraints, List<String> metrics) {
        return Arguments.of(text, title, constraints, metrics);
    }
}
