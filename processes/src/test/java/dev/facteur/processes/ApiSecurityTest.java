package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

class ApiSecurityTest extends EngineTest {

    @Autowired
    IdentityService identity;

    static Stream<Arguments> invalidFields() {
        return Stream.of(
                Arguments.of("title", ""),
                Arguments.of("title", "x".repeat(201)),
                Arguments.of("goal", " "),
                Arguments.of("goal", null),
                Arguments.of("constraints", List.of()),
                Arguments.of("constraints", null),
                Arguments.of("successMetrics", List.of()),
                Arguments.of("successMetrics", List.of("")),
                Arguments.of("priority", "urgent"),
                Arguments.of("riskLabels", List.of("High Risk!")),
                Arguments.of("repository", "not a repo"),
                Arguments.of("repository", null));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("invalidFields")
    void anInvalidIdeaSpecFieldIsAnsweredWith422NamingTheField(String field, Object value) {
        Map<String, Object> spec = new HashMap<>(spec("Valid title", "demo/valid"));
        spec.put(field, value);

        ResponseEntity<JsonNode> response = admin().postForEntity("/api/ideas", json(spec), JsonNode.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
        assertThat(response.getHeaders().getContentType().toString()).contains("application/problem+json");
        assertThat(response.getBody().get("errors").findValuesAsText("field")).allMatch(f -> f.startsWith(field));
    }

    @Test
    void everyInvalidFieldIsListedAtOnce() {
        Map<String, Object> spec = Map.of("title", "", "priority", "urgent");

        ResponseEntity<JsonNode> response = admin().postForEntity("/api/ideas", json(spec), JsonNode.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
        assertThat(response.getBody().get("errors").findValuesAsText("field"))
                .contains("title", "goal", "constraints", "successMetrics", "priority", "repository");
    }

    @Test
    void malformedJsonIsABadRequest() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        ResponseEntity<String> response =
                admin().postForEntity("/api/ideas", new HttpEntity<>("{\"title\": ", headers), String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/ideas",
                "/engine-rest/process-definition",
                "/camunda/api/engine/engine/default/process-definition",
                "/camunda/api/cockpit/plugin/base/default/process-definition/statistics"
            })
    void requestsWithoutCredentialsAreUnauthorized(String path) {
        assertThat(http.getForEntity(path, String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    /** A user of its own: Camunda delays logins of a user after failed attempts, which would stall the others. */
    @Test
    void wrongCredentialsAreUnauthorized() {
        if (identity.createUserQuery().userId("bystander").count() == 0) {
            var user = identity.newUser("bystander");
            user.setPassword("right-password");
            identity.saveUser(user);
        }
        assertThat(http.withBasicAuth("bystander", "wrong")
                        .getForEntity("/api/ideas", String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(http.withBasicAuth("bystander", "wrong")
                        .getForEntity("/engine-rest/process-definition", String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void theAdminReachesTheEngineRestApiAndEveryDefinitionHasAHistoryTimeToLive() {
        ResponseEntity<JsonNode> response = admin().getForEntity("/engine-rest/process-definition", JsonNode.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody().findValuesAsText("key")).contains("idea-lifecycle", "codex-task");
        response.getBody()
                .forEach(definition ->
                        assertThat(definition.get("historyTimeToLive").asInt()).isPositive());
    }

    @Test
    void theFirstRunSetupEndpointIsClosedAndTheAdminGroupHasDirectMembers() {
        ResponseEntity<String> response = http.exchange(
                "/camunda/api/admin/setup/default/user/create",
                HttpMethod.POST,
                json(Map.of("profile", Map.of("id", "intruder"), "credentials", Map.of("password", "x"))),
                String.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(identity.createUserQuery()
                        .memberOfGroup(Groups.CAMUNDA_ADMIN)
                        .count())
                .isPositive();
        assertThat(identity.createUserQuery().userId("intruder").count()).isZero();
        assertThat(identity.createGroupQuery().groupId("approvers").count()).isOne();
    }

    @Test
    void restQueriesCarryingExpressionsAreRefused() {
        ResponseEntity<String> inQuery = admin().getForEntity(
                        URI.create("/engine-rest/task?assigneeExpression=%24%7BcurrentUser()%7D"), String.class);
        assertThat(inQuery.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);

        Map<String, Object> orQuery = Map.of("orQueries", List.of(Map.of("assigneeExpression", "${currentUser()}")));
        ResponseEntity<String> inOrQueries = admin().postForEntity("/engine-rest/task", json(orQuery), String.class);
        assertThat(inOrQueries.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);

        ResponseEntity<String> hashForm = admin().postForEntity(
                        "/engine-rest/task", json(Map.of("candidateUserExpression", "#{x}")), String.class);
        assertThat(hashForm.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);

        Map<String, Object> nestedOr = Map.of(
                "assignee",
                "admin",
                "orQueries",
                List.of(Map.of("name", "x"), Map.of("dueDateExpression", "${now()}")));
        assertThat(admin().postForEntity("/engine-rest/task/count", json(nestedOr), String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);

        // literal values that merely look like expressions are not expression parameters
        assertThat(admin().postForEntity("/engine-rest/task", json(Map.of("nameLike", "${literally}")), String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.OK);
        assertThat(admin().postForEntity("/engine-rest/task", json(Map.of("assignee", "admin")), String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.OK);
    }
}
