package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facteur.model.store.EventLog;
import dev.facteur.processes.security.AccessGroups;
import dev.facteur.processes.security.ApiAccessRules;
import dev.facteur.processes.security.ServiceAccounts;
import dev.facteur.workers.runtime.WorkerSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Every entrance of the engine, called as every kind of caller, with the exact status each must get: anonymous,
 * the workers' service account, a member of each group, and the administrator. The requests are harmless ones
 * (an invalid spec, an idea that does not exist): passing authorization shows as the endpoint's own 4xx or 200,
 * failing it as 401 or 403. Any cell that differs is listed, so a hole that comes back names itself.
 */
class AccessTableTest extends EngineTest {

    private static final String PASSWORD = "acl-password";
    private static final String NONE = "acl-no-such-idea";

    @Autowired
    IdentityService identity;

    @Autowired
    ServiceAccounts accounts;

    @Autowired
    WorkerSettings workers;

    @Autowired
    EventLog events;

    /** {@code INTAKE_TOKEN} presents the bearer token of {@code facteur.intake.codex-tasks.token} (application-test.yaml). */
    enum Caller {
        ANONYMOUS,
        INTAKE_TOKEN,
        WORKER,
        SUBMITTER,
        OPERATOR,
        APPROVER,
        INTAKE,
        ADMIN
    }

    static final String INTAKE_TOKEN = "test-intake-token";

    /** One request and what each caller gets. */
    record Endpoint(HttpMethod method, String path, String body, MediaType type, Map<Caller, Set<Integer>> expected) {}

    @BeforeEach
    void members() {
        member("acl-submitter", AccessGroups.SUBMITTERS);
        member("acl-operator", AccessGroups.OPERATORS);
        member("acl-approver", AccessGroups.APPROVERS);
        member("acl-intake", AccessGroups.INTAKE);
    }

    @Test
    void everyEndpointAnswersEveryCallerWithExactlyTheStatusItsAccessRuleGives() {
        List<Endpoint> endpoints = endpoints();
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        for (Endpoint endpoint : endpoints) {
            for (Caller caller : Caller.values()) {
                int status = call(caller, endpoint).getStatusCode().value();
                cases++;
                if (!endpoint.expected().get(caller).contains(status)) {
                    wrong.add(endpoint.method() + " " + endpoint.path() + " as " + caller + ": " + status
                            + ", expected " + endpoint.expected().get(caller));
                }
            }
        }
        assertThat(wrong).as("endpoint x caller cells that differ").isEmpty();
        assertThat(cases).isEqualTo(endpoints.size() * Caller.values().length);
        System.out.println("AccessTableTest: " + cases + " endpoint x caller cases checked");
    }

    @Test
    void everyApiActionOfTheAccessRulesIsInTheTable() {
        Set<String> tabled = new java.util.HashSet<>();
        endpoints()
                .forEach(endpoint -> ApiAccessRules.ruleFor(
                                endpoint.method().name(), endpoint.path().split("\\?")[0])
                        .ifPresent(rule -> tabled.add(rule.method() + " " + rule.path())));
        assertThat(tabled)
                .containsExactlyInAnyOrderElementsOf(ApiAccessRules.RULES.stream()
                        .map(rule -> rule.method() + " " + rule.path())
                        .toList());
    }

    @Test
    void aRefusalIsA403ProblemAndIsAudited() {
        ResponseEntity<String> refused =
                as(Caller.WORKER).postForEntity("/api/ideas/" + NONE + "/cancel", null, String.class);

        assertThat(refused.getStatusCode().value()).isEqualTo(403);
        assertThat(refused.getHeaders().getContentType().toString()).contains("application/problem+json");
        assertThat(refused.getBody()).contains("operators").contains(workers.user());
        assertThat(events.list("security"))
                .anyMatch(event -> event.type().equals("access.refused")
                        && event.actor().equals("user:" + workers.user())
                        && event.payload().contains("/cancel"));
    }

    private List<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>();
        // /api: Basic authentication, then the group rule
        all.add(api(HttpMethod.POST, "/api/ideas", "{}", 422, AccessGroups.SUBMITTERS));
        all.add(api(HttpMethod.GET, "/api/ideas", null, 200, readers()));
        all.add(api(HttpMethod.GET, "/api/ideas/" + NONE, null, 404, readers()));
        all.add(api(HttpMethod.GET, "/api/ideas/" + NONE + "/policy", null, 404, readers()));
        all.add(api(HttpMethod.GET, "/api/ideas/" + NONE + "/cost", null, 404, readers()));
        all.add(api(HttpMethod.GET, "/api/ideas/" + NONE + "/audit", null, 404, readers()));
        for (String action : List.of("pause", "resume", "cancel", "rollback")) {
            all.add(api(HttpMethod.POST, "/api/ideas/" + NONE + "/" + action, null, 404, AccessGroups.OPERATORS));
        }
        all.add(api(
                HttpMethod.POST,
                "/api/ideas/" + NONE + "/approval",
                "{\"decision\": \"maybe\"}",
                422,
                AccessGroups.APPROVERS));
        all.add(api(HttpMethod.GET, "/api/policy", null, 200, readers()));
        all.add(api(HttpMethod.GET, "/api/autonomy", null, 200, readers()));
        all.add(api(HttpMethod.PUT, "/api/autonomy/no-such-stage", "{\"mode\": \"manual\"}", 404));
        all.add(api(HttpMethod.GET, "/api/kb/search", null, 400, readers()));
        // the chains may have been tampered with by another test (409): either way the verification answered
        all.add(api(HttpMethod.GET, "/api/audit/verify", null, Set.of(200, 409), AccessGroups.OPERATORS));
        // an action no rule names is closed to everyone but camunda-admin
        all.add(api(HttpMethod.DELETE, "/api/ideas/" + NONE, null, 405));
        // webhooks: authenticated by their signatures, whoever the caller claims to be
        all.add(everyone(HttpMethod.POST, "/webhooks/github", "{}", MediaType.APPLICATION_JSON, Set.of(401)));
        // Discord's signature headers missing altogether is a 400 naming them; a wrong signature is a 401
        // (DiscordIntakeTest)
        all.add(everyone(HttpMethod.POST, "/webhooks/discord", "{}", MediaType.APPLICATION_JSON, Set.of(400)));
        // /codex/tasks: the intake token or a member of intake; an empty body then is the decoder's 400
        Map<Caller, Set<Integer>> codex = byCaller(Set.of(401));
        codex.put(Caller.INTAKE, Set.of(400));
        codex.put(Caller.INTAKE_TOKEN, Set.of(400));
        all.add(new Endpoint(
                HttpMethod.POST, "/codex/tasks", "", MediaType.parseMediaType("application/x-protobuf"), codex));
        // the engine's REST API: any Camunda user, Camunda's authorizations filter what each sees
        Map<Caller, Set<Integer>> engineRest = byCaller(Set.of(200));
        engineRest.put(Caller.ANONYMOUS, Set.of(401));
        engineRest.put(Caller.INTAKE_TOKEN, Set.of(401));
        all.add(new Endpoint(HttpMethod.GET, "/engine-rest/process-definition", null, null, engineRest));
        all.add(new Endpoint(HttpMethod.GET, "/engine-rest/task", null, null, engineRest));
        // the webapps' APIs: a session from their login, never Basic
        all.add(everyone(
                HttpMethod.GET, "/camunda/api/engine/engine/default/process-definition", null, null, Set.of(401)));
        all.add(everyone(
                HttpMethod.GET,
                "/camunda/api/cockpit/plugin/base/default/process-definition/statistics",
                null,
                null,
                Set.of(401)));
        all.add(everyone(
                HttpMethod.POST,
                "/camunda/api/admin/setup/default/user/create",
                "{}",
                MediaType.APPLICATION_JSON,
                Set.of(403)));
        // actuator: health, info and the Prometheus scrape answer anyone; nothing else is exposed
        for (String open : List.of("/actuator/health", "/actuator/info", "/actuator/prometheus")) {
            all.add(everyone(HttpMethod.GET, open, null, null, Set.of(200)));
        }
        for (String closed : List.of("/actuator/env", "/actuator/heapdump", "/actuator/beans", "/actuator/loggers")) {
            all.add(everyone(HttpMethod.GET, closed, null, null, Set.of(404)));
        }
        return all;
    }

    private static String[] readers() {
        return new String[] {AccessGroups.SUBMITTERS, AccessGroups.OPERATORS, AccessGroups.APPROVERS};
    }

    private static Endpoint api(HttpMethod method, String path, String body, int allowed, String... groups) {
        return api(method, path, body, Set.of(allowed), groups);
    }

    /** An /api action: 401 anonymous, {@code allowed} for the groups named and the admin, 403 for the rest. */
    private static Endpoint api(HttpMethod method, String path, String body, Set<Integer> allowed, String... groups) {
        Map<Caller, Set<Integer>> expected = byCaller(Set.of(403));
        expected.put(Caller.ANONYMOUS, Set.of(401));
        expected.put(Caller.INTAKE_TOKEN, Set.of(401));
        expected.put(Caller.ADMIN, allowed);
        for (String group : groups) {
            expected.put(
                    switch (group) {
                        case AccessGroups.SUBMITTERS -> Caller.SUBMITTER;
                        case AccessGroups.OPERATORS -> Caller.OPERATOR;
                        case AccessGroups.APPROVERS -> Caller.APPROVER;
                        default -> throw new IllegalArgumentException(group);
                    },
                    allowed);
        }
        return new Endpoint(method, path, body, body == null ? null : MediaType.APPLICATION_JSON, expected);
    }

    private static Endpoint everyone(HttpMethod method, String path, String body, MediaType type, Set<Integer> status) {
        return new Endpoint(method, path, body, type, byCaller(status));
    }

    private static Map<Caller, Set<Integer>> byCaller(Set<Integer> status) {
        Map<Caller, Set<Integer>> expected = new LinkedHashMap<>();
        for (Caller caller : Caller.values()) {
            expected.put(caller, status);
        }
        return expected;
    }

    private ResponseEntity<String> call(Caller caller, Endpoint endpoint) {
        HttpHeaders headers = new HttpHeaders();
        if (endpoint.type() != null) {
            headers.setContentType(endpoint.type());
        }
        if (caller == Caller.INTAKE_TOKEN) {
            headers.setBearerAuth(INTAKE_TOKEN);
        }
        Object body = endpoint.body();
        return as(caller).exchange(endpoint.path(), endpoint.method(), new HttpEntity<>(body, headers), String.class);
    }

    private TestRestTemplate as(Caller caller) {
        return switch (caller) {
            case ANONYMOUS, INTAKE_TOKEN -> http;
            case WORKER -> http.withBasicAuth(workers.user(), accounts.workerPassword());
            case SUBMITTER -> http.withBasicAuth("acl-submitter", PASSWORD);
            case OPERATOR -> http.withBasicAuth("acl-operator", PASSWORD);
            case APPROVER -> http.withBasicAuth("acl-approver", PASSWORD);
            case INTAKE -> http.withBasicAuth("acl-intake", PASSWORD);
            case ADMIN -> admin();
        };
    }

    private void member(String user, String group) {
        camundaUser(user, PASSWORD, false);
        if (identity.createUserQuery().userId(user).memberOfGroup(group).count() == 0) {
            identity.createMembership(user, group);
        }
    }
}
