package dev.facteur.processes.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The YAML policy engine on its own: rules, time zones, and bad files that leave the last good rules in force. */
class YamlPolicyEngineTest {

    private static final String GOOD = """
            version: 1
            timezone: Europe/Paris
            rules:
              - id: risky
                kind: approval-labels
                labels: [high-risk, security]
                checkpoints: [scheduling, pre-deploy]
              - id: api-tests
                kind: required-tests
                directory: services/api/
                commands: ["make test-api"]
              - id: churn
                kind: churn-limit
                maxLines: 1000
              - id: friday-evening
                kind: freeze-window
                cron: "0 18 * * FRI"
                duration: PT62H
              - id: new-year
                kind: freeze-window
                from: 2026-12-31T12:00
                to: 2027-01-02
                when: {repository: "acme/*"}
              - id: budget
                kind: change-budget
                maxDeploysPerDay: 2
            """;

    @TempDir
    Path dir;

    Path file;
    MutableClock clock;
    SimpleMeterRegistry meters;

    @BeforeEach
    void setUp() throws Exception {
        file = dir.resolve("policy.yaml");
        Files.writeString(file, GOOD);
        // a Wednesday noon in Paris
        clock = new MutableClock(ZonedDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneId.of("Europe/Paris"))
                .toInstant());
        meters = new SimpleMeterRegistry();
    }

    private YamlPolicyEngine engine() {
        return new YamlPolicyEngine(file, clock, meters);
    }

    private static PolicyInput input(String repository, List<String> labels) {
        return new PolicyInput(
                "idea-1", repository, repository, "high", "api", labels, List.of(), null, null, null, null);
    }

    @Test
    void labelsRequiringApprovalAskForOneAtTheirCheckpointsOnly() {
        YamlPolicyEngine engine = engine();
        PolicyEvaluation risky = engine.evaluate(Checkpoint.SCHEDULING, input("demo/x", List.of("high-risk")));
        assertThat(risky.outcome()).isEqualTo(Outcome.REQUIRE_APPROVAL);
        assertThat(risky.decisions())
                .filteredOn(d -> d.ruleId().equals("risky"))
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("high-risk"));
        assertThat(engine.evaluate(Checkpoint.SCHEDULING, input("demo/x", List.of("docs")))
                        .outcome())
                .isEqualTo(Outcome.ALLOW);
        assertThat(engine.evaluate(Checkpoint.PRE_MERGE, input("demo/x", List.of("high-risk")))
                        .decisions())
                .noneMatch(d -> d.ruleId().equals("risky"));
    }

    @Test
    void requiredTestsAreNamedAtSchedulingAndCheckedBeforeMerging() {
        YamlPolicyEngine engine = engine();
        PolicyInput planned = new PolicyInput(
                "i",
                "demo/x",
                "demo/x",
                "high",
                "api",
                List.of(),
                List.of(new PolicyInput.PlannedTask("t1", List.of("services/api/handlers"))),
                null,
                null,
                null,
                null);
        RuleDecision scheduling = engine.evaluate(Checkpoint.SCHEDULING, planned).decisions().stream()
                .filter(d -> d.ruleId().equals("api-tests"))
                .findFirst()
                .orElseThrow();
        assertThat(scheduling.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(scheduling.inputs()).containsEntry("requiredCommands", List.of("make test-api"));

        PolicyInput untested = new PolicyInput(
                "i",
                "demo/x",
                "demo/x",
                "high",
                "api",
                List.of(),
                List.of(),
                10,
                List.of("services/api/Main.java"),
                List.of("test.sh"),
                null);
        assertThat(engine.evaluate(Checkpoint.PRE_MERGE, untested).outcome()).isEqualTo(Outcome.DENY);
        PolicyInput tested = new PolicyInput(
                "i",
                "demo/x",
                "demo/x",
                "high",
                "api",
                List.of(),
                List.of(),
                10,
                List.of("services/api/Main.java"),
                List.of("make test-api"),
                null);
        assertThat(engine.evaluate(Checkpoint.PRE_MERGE, tested).outcome()).isEqualTo(Outcome.ALLOW);
    }

    @Test
    void churnOverTheLimitIsDeniedBeforeMerging() {
        PolicyInput big = new PolicyInput(
                "i", "demo/x", "demo/x", "high", "api", List.of(), List.of(), 1001, List.of(), List.of(), null);
        PolicyEvaluation evaluation = engine().evaluate(Checkpoint.PRE_MERGE, big);
        assertThat(evaluation.outcome()).isEqualTo(Outcome.DENY);
        assertThat(evaluation.holdUntil()).as("a human must decide").isNull();
        assertThat(evaluation.decisions())
                .filteredOn(d -> d.ruleId().equals("churn"))
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo("1001 lines changed, over the limit of 1000"));
    }

    @Test
    void churnTheReviewDidNotReportAsksAHumanUnlessTheRuleSaysOtherwise() throws Exception {
        PolicyInput unknown =
                new PolicyInput("i", "demo/x", "demo/x", "high", "api", List.of(), List.of(), null, null, null, null);
        assertThat(engine().evaluate(Checkpoint.PRE_MERGE, unknown).decisions())
                .filteredOn(d -> d.ruleId().equals("churn"))
                .singleElement()
                .satisfies(d -> assertThat(d.outcome()).isEqualTo(Outcome.REQUIRE_APPROVAL));
        Files.writeString(file, GOOD.replace("maxLines: 1000", "maxLines: 1000\n    whenUnknown: allow"));
        assertThat(engine().evaluate(Checkpoint.PRE_MERGE, unknown).decisions())
                .filteredOn(d -> d.ruleId().equals("churn"))
                .singleElement()
                .satisfies(d -> assertThat(d.outcome()).isEqualTo(Outcome.ALLOW));
    }

    @Test
    void aCronFreezeWindowHoldsUntilItEndsInItsTimeZone() {
        YamlPolicyEngine engine = engine();
        assertThat(engine.evaluate(Checkpoint.PRE_DEPLOY, input("demo/x", List.of()))
                        .outcome())
                .isEqualTo(Outcome.ALLOW);
        // Friday 19:00 in Paris, an hour into the freeze that ends Monday 08:00
        clock.set(ZonedDateTime.of(2026, 11, 27, 19, 0, 0, 0, ZoneId.of("Europe/Paris"))
                .toInstant());
        PolicyEvaluation frozen = engine.evaluate(Checkpoint.PRE_DEPLOY, input("demo/x", List.of()));
        assertThat(frozen.outcome()).isEqualTo(Outcome.DENY);
        assertThat(frozen.holdUntil())
                .isEqualTo(ZonedDateTime.of(2026, 11, 30, 8, 0, 0, 0, ZoneId.of("Europe/Paris"))
                        .toInstant());
        // 17:30 UTC on that Friday is 18:30 in Paris: frozen; 16:30 UTC is not
        clock.set(ZonedDateTime.of(2026, 11, 27, 16, 30, 0, 0, ZoneOffset.UTC).toInstant());
        assertThat(engine.evaluate(Checkpoint.PRE_DEPLOY, input("demo/x", List.of()))
                        .outcome())
                .isEqualTo(Outcome.ALLOW);
        clock.set(ZonedDateTime.of(2026, 11, 27, 17, 30, 0, 0, ZoneOffset.UTC).toInstant());
        assertThat(engine.evaluate(Checkpoint.PRE_DEPLOY, input("demo/x", List.of()))
                        .outcome())
                .isEqualTo(Outcome.DENY);
    }

    @Test
    void aDateRangeFreezeAppliesOnlyWhereItsWhenMatches() {
        YamlPolicyEngine engine = engine();
        clock.set(ZonedDateTime.of(2027, 1, 1, 10, 0, 0, 0, ZoneId.of("Europe/Paris"))
                .toInstant());
        PolicyEvaluation acme = engine.evaluate(Checkpoint.PRE_DEPLOY, input("acme/shop", List.of()));
        assertThat(acme.decisions())
                .filteredOn(d -> d.ruleId().equals("new-year"))
                .singleElement()
                .satisfies(d -> assertThat(d.until())
                        .isEqualTo(ZonedDateTime.of(2027, 1, 2, 0, 0, 0, 0, ZoneId.of("Europe/Paris"))
                                .toInstant()));
        assertThat(engine.evaluate(Checkpoint.PRE_DEPLOY, input("demo/shop", List.of()))
                        .decisions())
                .noneMatch(d -> d.ruleId().equals("new-year"));
    }

    @Test
    void aSpentChangeBudgetHoldsUntilTheNextDayInItsZone() {
        PolicyInput twoToday = new PolicyInput(
                "i",
                "demo/x",
                "demo/x",
                "high",
                "api",
                List.of(),
                List.of(),
                null,
                null,
                null,
                (service, from, to) -> from.equals(ZonedDateTime.of(2026, 11, 25, 0, 0, 0, 0, ZoneId.of("Europe/Paris"))
                                .toInstant())
                        ? 2
                        : 0);
        PolicyEvaluation evaluation = engine().evaluate(Checkpoint.PRE_DEPLOY, twoToday);
        assertThat(evaluation.outcome()).isEqualTo(Outcome.DENY);
        assertThat(evaluation.holdUntil())
                .isEqualTo(ZonedDateTime.of(2026, 11, 26, 0, 0, 0, 0, ZoneId.of("Europe/Paris"))
                        .toInstant());
    }

    @Test
    void aChangedFileIsReloadedAndABrokenOneKeepsTheLastGoodRulesAndCountsAFailure() throws Exception {
        YamlPolicyEngine engine = engine();
        String goodVersion = engine.status().version();
        Files.writeString(file, GOOD.replace("maxLines: 1000", "maxLines: 10"));
        assertThat(engine.reload()).isTrue();
        assertThat(engine.status().version()).isNotEqualTo(goodVersion);

        String lastGood = engine.status().version();
        Files.writeString(file, "version: 1\nrules:\n  - id: a\n    kind: nonsense\n");
        assertThat(engine.reload()).isFalse();
        assertThat(engine.status().version()).isEqualTo(lastGood);
        assertThat(engine.status().lastProblems())
                .singleElement()
                .asString()
                .startsWith(file + ":4: ")
                .contains("unknown rule kind 'nonsense'");
        assertThat(meters.get("facteur.policy.load.failures").counter().count()).isEqualTo(1);
        assertThat(meters.get("facteur.policy.load.healthy").gauge().value()).isZero();
        assertThat(engine.reload())
                .as("the same broken content is not reported twice")
                .isFalse();
        assertThat(meters.get("facteur.policy.load.failures").counter().count()).isEqualTo(1);

        Files.writeString(file, GOOD);
        assertThat(engine.reload()).isTrue();
        assertThat(meters.get("facteur.policy.load.healthy").gauge().value()).isEqualTo(1);
    }

    @Test
    void eachKindOfBadFileIsRejectedWithItsFileLineAndReason() throws Exception {
        YamlPolicyEngine engine = engine();
        assertProblem(
                engine, "version: 1\nrules:\n  - id: a\n    kind: churn-limit\n   maxLines: [\n", ":5: malformed YAML");
        assertProblem(
                engine,
                "version: 1\nrules:\n  - id: a\n    kind: approval-label\n    labels: [x]\n",
                ":4: $.rules[0].kind: unknown rule kind 'approval-label'");
        assertProblem(engine, """
                version: 1
                rules:
                  - id: f
                    kind: freeze-window
                    cron: "0 61 * * *"
                    duration: PT1H
                """, ":5: $.rules[0].cron: invalid cron expression '0 61 * * *'");
        assertProblem(
                engine,
                "version: 1\nrules:\n  - id: c\n    kind: churn-limit\n    outcome: deny\n",
                ":3: $.rules[0]: required property 'maxLines' not found");
        assertProblem(engine, """
                version: 1
                rules:
                  - id: c
                    kind: churn-limit
                    maxLines: 5
                    when:
                      team: payments
                """, ":7: $.rules[0].when: references the missing field 'team'");
        assertProblem(engine, """
                version: 1
                rules:
                  - id: f
                    kind: freeze-window
                    timezone: Mars/Olympus
                    from: 2026-01-01
                    to: 2026-01-02
                """, ":5: unknown time zone 'Mars/Olympus'");
        assertProblem(
                engine, """
                version: 1
                rules:
                  - id: b
                    kind: change-budget
                    maxDeploysPerDay: 1
                    checkpoints: [scheduling]
                """, ":6: $.rules[0].checkpoints: a change-budget rule cannot be evaluated at scheduling");
        assertProblem(
                engine,
                "version: 1\nrules:\n  - id: a\n    kind: churn-limit\n    maxLines: 1\n"
                        + "  - id: a\n    kind: churn-limit\n    maxLines: 2\n",
                ":6: $.rules[1]: duplicate rule id 'a'");
        assertThat(engine.evaluate(
                                Checkpoint.PRE_MERGE,
                                new PolicyInput(
                                        "i", "demo/x", "demo/x", "high", "api", List.of(), List.of(), 1001, List.of(),
                                        List.of(), null))
                        .outcome())
                .as("the good rules still decide")
                .isEqualTo(Outcome.DENY);
    }

    @Test
    void aBrokenFileAtStartUpStopsTheEngine() throws Exception {
        Files.writeString(file, "version: 2\nrules: []\n");
        assertThatThrownBy(this::engine)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file + ":1: $.version");
    }

    @Test
    void theBuiltInDefaultPolicyLoads() {
        YamlPolicyEngine engine = new YamlPolicyEngine(null, Clock.systemUTC(), meters);
        assertThat(engine.status().rules())
                .extracting(PolicyStatus.RuleSummary::id)
                .contains("risky-labels");
        assertThat(engine.reload()).isFalse();
    }

    private void assertProblem(YamlPolicyEngine engine, String content, String expected) throws Exception {
        String before = engine.status().version();
        Files.writeString(file, content);
        assertThat(engine.reload()).isFalse();
        assertThat(engine.status().lastProblems())
                .as(content)
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith(file + expected.substring(0, expected.indexOf(' ')))
                        .contains(expected.substring(expected.indexOf(' ') + 1)));
        assertThat(engine.status().version()).isEqualTo(before);
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
