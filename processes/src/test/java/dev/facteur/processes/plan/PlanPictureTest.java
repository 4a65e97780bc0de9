package dev.facteur.processes.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanPictureTest {

    private static final PlanPicture.Node API = new PlanPicture.Node(
            "t1",
            "Add <script>alert(1)</script>",
            "DONE",
            List.of(),
            List.of(
                    new PlanPicture.RunFigures(
                            "implementation", 1, "SUCCEEDED", 65_000, 1200, new BigDecimal("0.0100")),
                    new PlanPicture.RunFigures(
                            "implementation", 2, "SUCCEEDED", 5_000, 300, new BigDecimal("0.0020"))));
    private static final PlanPicture.Node DOCS =
            new PlanPicture.Node("t2", "Docs", "RUNNING", List.of("t1"), List.of());

    @Test
    void drawsEachTaskColouredByStateWithItsRunsDurationsAndCostAndAnArrowPerDependency() {
        String svg = PlanPicture.svg(new PlanPicture.Plan(
                "idea-1",
                "Rate limiting",
                "RunningTasks",
                List.of(API, DOCS),
                List.of(new PlanPicture.Decision("scheduling", "risky-labels", "REQUIRE_APPROVAL", "label security")),
                true,
                "USD"));

        assertThat(svg)
                .contains("data-task=\"t1\" data-state=\"DONE\"")
                .contains("data-task=\"t2\" data-state=\"RUNNING\"")
                .contains(PlanPicture.FILL.get("DONE"))
                .contains(PlanPicture.FILL.get("RUNNING"))
                .contains("2 run(s) · 1m 10s · last #2 SUCCEEDED")
                .contains("1,500 tokens · USD 0.0120")
                .contains("data-from=\"t1\" data-to=\"t2\"")
                .contains("no runs yet")
                .contains("scheduling · risky-labels · REQUIRE_APPROVAL — label security")
                .contains("Audit chain: verifies");
    }

    @Test
    void escapesWhatPeopleWroteAndSaysWhenTheAuditChainIsBroken() {
        String svg = PlanPicture.svg(
                new PlanPicture.Plan("idea-2", "A & B \"quoted\"", "Planning", List.of(API), List.of(), false, "EUR"));

        assertThat(svg)
                .doesNotContain("<script>")
                .contains("&lt;script&gt;")
                .contains("A &amp; B &quot;quoted&quot;")
                .contains("Audit chain: BROKEN")
                .contains("Policy decisions: none yet");
    }

    @Test
    void anIdeaWithoutAPlanSaysSo() {
        assertThat(PlanPicture.svg(
                        new PlanPicture.Plan("idea-3", "New", "Planning", List.of(), List.of(), true, "USD")))
                .contains("No plan yet");
    }
}
