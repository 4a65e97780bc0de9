package dev.facteur.processes.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.processes.EngineTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What a person sees, in a real browser (Debian's chromium, headless, {@link Webapps}): an approver signs in to
 * Tasklist, opens each of the idea's three gates from the list, reads its form — the idea's goal escaped, the risk
 * register as a table, the link to the idea — checks at 1280x800 and 1600x1100 that the form fits its width and
 * that the Complete button is not under the fixed footer, and decides; an administrator opens the instance's Plan
 * tab in Cockpit and reads the task DAG. The idea carries the label {@code every-gate}, which the engine tests'
 * policy stops at every gate. Screenshots of the plan gate and of the Plan tab, at both sizes, go to
 * {@code facteur.browser.screenshots} ({@code target/browser} by default; the README's are
 * {@code -Dfacteur.browser.screenshots=../docs/images}), the other gates' to {@code target/browser}.
 */
class BrowserGatesTest extends EngineTest {

    static final String APPROVER = "ada";
    static final String PASSWORD = "browser-test-password";
    static final String TITLE = "Rate limiting for the <b>public</b> API";
    static final String GOAL = "Limit each API key to 100 requests a minute and answer 429 with Retry-After when <key> "
            + "exceeds it; keep *existing* clients working. [Docs](javascript:alert(1))";

    @LocalServerPort
    int port;

    @Autowired
    IdentityService identity;

    private final Path target = Path.of("target/browser");
    private final Path screenshots = Path.of(System.getProperty("facteur.browser.screenshots", "target/browser"));

    @Test
    void anApproverReadsAndDecidesEachGateInTasklistAndCockpitDrawsThePlan() throws Exception {
        approver();
        Map<String, Object> spec = new HashMap<>(spec(TITLE, repo("demo")));
        spec.put("goal", GOAL);
        spec.put("riskLabels", List.of("every-gate"));
        String id = submit(spec);
        String instance = processInstance(id);

        try (Webapps browser = Webapps.start("http://127.0.0.1:" + port, target)) {
            browser.login("tasklist", APPROVER, PASSWORD);
            browser.login("cockpit", ADMIN, ADMIN_PASSWORD);

            eventually().until(() -> state(id).equals("PlanApproval"));
            JsonNode plan = browser.gate(
                    "Approve plan: " + TITLE,
                    "approve",
                    "the plan reads right",
                    Webapps.Screenshot.both(screenshots, "gate-plan"));
            assertFormShowsTheIdea(plan.get("form"), id);
            // the plan gate's picture of the plan, loaded under Tasklist's session
            assertThat(plan.at("/form/images")).singleElement().satisfies(image -> {
                assertThat(image.get("src").asText()).endsWith("/idea/" + id + "/plan.svg");
                assertThat(image.get("naturalWidth").asInt()).isPositive();
            });
            assertThat(text(plan.get("form"))).contains("No review has run yet.");
            assertLaidOut(plan);

            eventually().until(() -> state(id).equals("MergeApproval"));
            JsonNode merge = browser.gate(
                    "Approve merge: " + TITLE, "approve", "merge it", Webapps.Screenshot.both(target, "gate-merge"));
            assertFormShowsTheIdea(merge.get("form"), id);
            assertLaidOut(merge);
            assertThat(text(merge.get("form")))
                    .contains("Branch facteur/" + id)
                    .contains("review attempt 1: PASSED")
                    .contains(
                            "every-gate (approval-labels): label(s) [every-gate] require a human approval at pre-merge");

            eventually().until(() -> state(id).equals("DeployApproval"));
            JsonNode picture = browser.plan(instance, Webapps.Screenshot.both(screenshots, "cockpit-plan"))
                    .get("picture");
            assertThat(picture.get("tasks"))
                    .extracting(task ->
                            task.get("task").asText() + " " + task.get("state").asText())
                    .containsExactly("t1 DONE", "t2 DONE", "t3 DONE");
            assertThat(picture.get("tasks"))
                    .allSatisfy(task -> assertThat(task.get("text").asText())
                            .contains("1 run(s)")
                            .contains("last #1 SUCCEEDED")
                            .contains("tokens"));
            assertThat(picture.get("dependencies"))
                    .extracting(edge ->
                            edge.get("from").asText() + "->" + edge.get("to").asText())
                    .containsExactlyInAnyOrder("t1->t2", "t1->t3");
            assertThat(picture.get("text"))
                    .extracting(JsonNode::asText)
                    .contains("Plan of " + id + ": " + TITLE, "Audit chain: verifies")
                    .anySatisfy(line -> assertThat(line).startsWith("pre-merge · every-gate · REQUIRE_APPROVAL"));

            JsonNode deploy = browser.gate(
                    "Approve deploy: " + TITLE, "approve", "ship it", Webapps.Screenshot.both(target, "gate-deploy"));
            assertFormShowsTheIdea(deploy.get("form"), id);
            assertLaidOut(deploy);
            assertThat(text(deploy.get("form"))).contains("Release ").contains("review attempt 1: PASSED");
        }

        eventually().until(() -> state(id).equals("Completed"));
        JsonNode approvals = admin().getForObject("/api/ideas/" + id + "/policy", JsonNode.class)
                .get("approvals");
        assertThat(approvals)
                .extracting(a -> a.get("gate").asText() + " "
                        + a.get("decision").asText() + " " + a.get("approver").asText() + " "
                        + a.get("channel").asText())
                .containsExactly(
                        "plan APPROVE ada tasklist", "merge APPROVE ada tasklist", "deploy APPROVE ada tasklist");
    }

    /**
     * A webapp page's scripts carry the nonce of its own Content-Security-Policy header, however many pages load at
     * once; otherwise the browser refuses them and the page stays blank (Camunda keeps the nonce JVM-wide).
     */
    @Test
    void everyWebappPageCarriesTheNonceOfItsOwnHeaderWhilePagesLoadAtOnce() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            List<java.util.concurrent.Future<String>> loads = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String app = List.of("cockpit", "tasklist", "admin").get(i % 3);
                loads.add(pool.submit(() -> {
                    var page = http.getForEntity("/camunda/app/" + app + "/default/", String.class);
                    String header = nonce(page.getHeaders().getFirst("Content-Security-Policy"), "'nonce-([^']+)'");
                    String body = nonce(page.getBody(), "nonce=\"([^\"]+)\"");
                    return header != null && header.equals(body)
                            ? "same"
                            : app + ": header " + header + ", page " + body;
                }));
            }
            List<String> results = new ArrayList<>();
            for (var load : loads) {
                results.add(load.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(results).containsOnly("same");
        } finally {
            pool.shutdownNow();
        }
    }

    private static String nonce(String text, String pattern) {
        java.util.regex.Matcher matcher =
                java.util.regex.Pattern.compile(pattern).matcher(text == null ? "" : text);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** Every gate's form: the idea escaped (text, never markup), its risk register as a table, a link to the idea. */
    private static void assertFormShowsTheIdea(JsonNode form, String id) {
        String text = text(form);
        assertThat(text)
                .contains("Goal: " + GOAL)
                .contains(TITLE + " — demo/")
                .contains("Constraints\n\nno new dependencies")
                .contains("Success metrics\n\nGET /hello answers 200\np99 latency under 50 ms")
                .contains("t1 Scaffold " + TITLE)
                .contains("t2 Deliver: GET /hello answers 200 (after t1)");
        // what the idea's author and the agent wrote made no element of its own: no bold, emphasis, key or link but
        // Facteur's in the idea's and the plan's parts
        assertThat(form.get("texts"))
                .filteredOn(part -> part.get("text").asText().matches("(?s)The (idea|plan)\n.*"))
                .hasSize(2)
                .allSatisfy(part -> assertThat(strings(part.get("elements")))
                        .doesNotContain("b", "i", "em", "key", "script", "img"));
        assertThat(form.get("links"))
                .extracting(link -> link.get("href").asText())
                .containsExactly("/api/ideas/" + id);
        assertThat(form.get("tables")).singleElement().satisfies(table -> {
            assertThat(strings(table.get("headers"))).containsExactly("Risk", "Likelihood", "Impact", "Mitigation");
            assertThat(table.get("rows"))
                    .extracting(row -> String.join(" | ", strings(row)))
                    .containsExactly(
                            "the implementation could break the constraint: no new dependencies | medium | medium"
                                    + " | review checks the constraint before integration",
                            "this plan was produced by the demo agent, not by a model | medium | medium"
                                    + " | a person approves the plan before tasks run");
        });
        assertThat(text).contains("What asked for this gate").contains("QA results");
    }

    /** At both sizes the form's content stays within its width and the Complete button is not under the footer. */
    private static void assertLaidOut(JsonNode gate) {
        assertThat(gate.get("layouts"))
                .extracting(layout -> layout.get("width").asInt() + "x"
                        + layout.get("height").asInt() + " overflow "
                        + layout.get("overflow").asInt() + " clickable "
                        + layout.get("clickable").asBoolean() + " "
                        + layout.path("coveredBy").asText(""))
                .containsExactly("1280x800 overflow 0 clickable true ", "1600x1100 overflow 0 clickable true ");
    }

    /** The form's texts as the browser shows them, one after the other. */
    private static String text(JsonNode form) {
        List<String> texts = new ArrayList<>();
        form.get("texts").forEach(part -> texts.add(part.get("text").asText()));
        return String.join("\n", texts);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** The approver, with a name for Tasklist's header. */
    private void approver() {
        if (identity.createUserQuery().userId(APPROVER).count() == 0) {
            User user = identity.newUser(APPROVER);
            user.setFirstName("Ada");
            user.setLastName("Lovelace");
            user.setPassword(PASSWORD);
            identity.saveUser(user);
        }
        camundaUser(APPROVER, PASSWORD, true);
    }
}
