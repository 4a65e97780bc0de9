package dev.facteur.connectors.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /**
     * Ideas as people type them into Discord or an issue: goal, then a constraint and a success metric as plain
     * sentences. Columns: the text (a written {@code \n} is a line break), the title, the constraint, the metric.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            Add rate limiting. It must not add dependencies. Success: p99 under 100 ms. | Add rate limiting | It must not add dependencies. | p99 under 100 ms.
            Add dark mode to the settings page. Don't touch the billing pages. Users should be able to switch themes without reloading. | Add dark mode to the settings page | Don't touch the billing pages. | Users should be able to switch themes without reloading.
            Cache the product catalogue in Redis. We cannot change the public API. Page load should drop below 300ms. | Cache the product catalogue in Redis | We cannot change the public API. | Page load should drop below 300ms.
            Let admins export audit logs as CSV\\nMust stay backwards compatible with v2 clients\\nDone when an export of 1M rows finishes in under 30 s | Let admins export audit logs as CSV | Must stay backwards compatible with v2 clients | an export of 1M rows finishes in under 30 s
            Migrate the nightly report job to the queue. Should not add new infrastructure; error rate stays below 0.1%. | Migrate the nightly report job to the queue | Should not add new infrastructure | error rate stays below 0.1%.
            Retry failed webhook deliveries with backoff. No new services. Success metric: 99.9% of webhooks delivered within 5 minutes. | Retry failed webhook deliveries with backoff | No new services. | 99.9% of webhooks delivered within 5 minutes.
            Speed up CI. Only touch the GitHub Actions workflows. Build time down to 8 minutes. | Speed up CI | Only touch the GitHub Actions workflows. | Build time down to 8 minutes.
            Show a password strength meter on sign-up. Keep the bundle size increase under 20 kb. Fewer than 5% of new passwords should be rated weak. | Show a password strength meter on sign-up | Keep the bundle size increase under 20 kb. | Fewer than 5% of new passwords should be rated weak.
            Paginate the /orders endpoint. Has to remain compatible with the mobile app. We'll know it works when the endpoint answers in less than 200 ms for 10k orders. | Paginate the /orders endpoint | Has to remain compatible with the mobile app. | the endpoint answers in less than 200 ms for 10k orders.
            Add SSO login with Google\\n- no changes to the user table\\n- p95 login latency under 1s | Add SSO login with Google | no changes to the user table | p95 login latency under 1s
            Replace the cron-based cleanup with a scheduled task. Without downtime. Disk usage reduced by 40% after a week. | Replace the cron-based cleanup with a scheduled task | Without downtime. | Disk usage reduced by 40% after a week.
            Send a weekly digest email. Avoid third-party email services. Open rate above 25%. | Send a weekly digest email | Avoid third-party email services. | Open rate above 25%.
            Make search typo tolerant. It needs to run on the existing Postgres. Searches with one typo should still find the right product. | Make search typo tolerant | It needs to run on the existing Postgres. | Searches with one typo should still find the right product.
            Add a health check endpoint for the load balancer. Must never require authentication. Acceptance criteria: GET /healthz answers 200 when the database is up. | Add a health check endpoint for the load balancer | Must never require authentication. | GET /healthz answers 200 when the database is up.
            Compress API responses. At most one new library. Payloads 60% smaller on average. | Compress API responses | At most one new library. | Payloads 60% smaller on average.
            Archive old tickets automatically. Limits: never delete anything, only move it. KPI: ticket list loads 2x faster. | Archive old tickets automatically | never delete anything, only move it. | ticket list loads 2x faster.
            Translate the checkout into German. Constraints: reuse the existing i18n files. Conversion in Germany should improve by 10%. | Translate the checkout into German | reuse the existing i18n files. | Conversion in Germany should improve by 10%.
            Give support agents a read-only view of customer accounts. Agents may not edit billing data. Support tickets resolved 20% faster so that customers wait less. | Give support agents a read-only view of customer accounts | Agents may not edit billing data. | Support tickets resolved 20% faster so that customers wait less.
            Detect duplicate uploads. The upload API shouldn't get slower. Storage growth drops to 5 GB per month. | Detect duplicate uploads | The upload API shouldn't get slower. | Storage growth drops to 5 GB per month.
            Add an audit trail for permission changes. It has to use the existing event table. Every permission change is visible in the audit view within 1 minute. | Add an audit trail for permission changes | It has to use the existing event table. | Every permission change is visible in the audit view within 1 minute.
            Let users schedule posts. No breaking changes to the posts API. Scheduled posts should go out on time, at least 99% of them. | Let users schedule posts | No breaking changes to the posts API. | Scheduled posts should go out on time, at least 99% of them.
            Goal: shorten the onboarding flow\\nRequirements - must work on mobile Safari\\nMetrics - completion rate up by 15% | shorten the onboarding flow | must work on mobile Safari | completion rate up by 15%
            Add feature flags to the billing service. Keep it behind the admin role. Measured by: flags toggle without a deploy. | Add feature flags to the billing service | Keep it behind the admin role. | flags toggle without a deploy.
            Index the orders table by customer. Must be done in a single migration. The customer orders page should load faster. | Index the orders table by customer | Must be done in a single migration. | The customer orders page should load faster.
            """)
    void recognisesConstraintsAndSuccessMetricsWrittenAsPlainSentences(
            String text, String title, String constraint, String metric) {
        IdeaSummariser.Summary summary = extractor.summarise(text.replace("\\n", "\n"));

        assertThat(summary.title()).isEqualTo(title);
        assertThat(summary.constraints()).containsExactly(constraint);
        assertThat(summary.successMetrics()).containsExactly(metric);
    }
}
