package dev.facteur.processes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.facteur.connectors.local.LocalExecutorSettings;
import dev.facteur.model.stage.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the engine tests: one Spring context for all of them (same configuration), on the real
 * PostgreSQL, with the workers running in-process through the engine's Java API and every stage run
 * by the {@link TestAgent} through the local executor.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@AutoConfigureObservability
@Import(TestClock.Configuration.class)
public abstract class EngineTest {

    protected static final String ADMIN = "admin";
    protected static final String ADMIN_PASSWORD = "test-admin-password";
    protected static final Path FLAGS = Path.of("target/facteur-test/flags").toAbsolutePath();

    @Autowired
    protected TestRestTemplate http;

    @Autowired
    protected ObjectMapper mapper;

    @Autowired
    private IdentityService identityService;

    /** Plays the GitHub API and Prometheus for every engine test (stubs per repository owner). */
    protected static final WireMockServer REMOTE = startRemote();

    @DynamicPropertySource
    static void testAgent(DynamicPropertyRegistry registry) {
        testAgentCommands().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("facteur.executor.local.environment.FACTEUR_TEST_FLAGS", FLAGS::toString);
        registry.add("facteur.discord.public-key", TestDiscordKeys::publicKeyHex);
        registry.add("facteur.github.base-url", REMOTE::baseUrl);
        registry.add("facteur.delivery.prometheus.base-url", REMOTE::baseUrl);
        // an OpenAI-compatible summariser and Discord's API, both answered by REMOTE (an unstubbed call: a 404)
        registry.add("facteur.llm.base-url", () -> REMOTE.baseUrl() + "/llm");
        registry.add("facteur.discord.api-url", () -> REMOTE.baseUrl() + "/discord-api");
        // milestone messages are queued only for a configured webhook (IdeaTelemetryTest reads the queue)
        registry.add("facteur.discord.webhooks.default", () -> REMOTE.baseUrl() + "/discord-webhooks/default");
    }

    private static WireMockServer startRemote() {
        WireMockServer server =
                new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        return server;
    }

    /**
     * Classes whose jars (or folders) make up the {@link TestAgent}'s class path: the agent, the demo agent, the stage
     * runner and what they load. The tests run a few hundred stage JVMs; with only these few entries instead of this
     * JVM's class path of more than 300 jars, a planning stage took 0.58 s of CPU instead of 0.83 s. A class missing here fails
     * its stage loudly ({@code NoClassDefFoundError} in the stage's log and an incident).
     */
    private static final List<Class<?>> TEST_AGENT_CLASSES = List.of(
            TestAgent.class,
            dev.facteur.connectors.local.DemoAgent.class,
            Stage.class,
            dev.facteur.agent.StageRequest.class,
            com.fasterxml.jackson.databind.ObjectMapper.class,
            com.fasterxml.jackson.core.JsonFactory.class,
            com.fasterxml.jackson.annotation.JsonProperty.class,
            com.fasterxml.jackson.dataformat.yaml.YAMLFactory.class,
            com.networknt.schema.SchemaRegistry.class,
            com.ethlo.time.ITU.class,
            org.yaml.snakeyaml.Yaml.class,
            org.slf4j.LoggerFactory.class,
            ch.qos.logback.classic.Logger.class,
            ch.qos.logback.core.Appender.class);

    /**
     * {@code facteur.executor.local.commands.*} running every stage with the {@link TestAgent} in this JVM's java, on
     * the class path of {@link #TEST_AGENT_CLASSES}.
     */
    protected static Map<String, String> testAgentCommands() {
        List<String> command = LocalExecutorSettings.javaCommand(TestAgent.class.getName(), testAgentClassPath());
        Map<String, String> properties = new LinkedHashMap<>();
        for (Stage stage : Stage.values()) {
            for (int i = 0; i < command.size(); i++) {
                properties.put("facteur.executor.local.commands." + stage.id() + "[" + i + "]", command.get(i));
            }
        }
        return properties;
    }

    private static String testAgentClassPath() {
        return TEST_AGENT_CLASSES.stream()
                .map(type -> {
                    try {
                        return Path.of(type.getProtectionDomain()
                                        .getCodeSource()
                                        .getLocation()
                                        .toURI())
                                .toString();
                    } catch (java.net.URISyntaxException e) {
                        throw new IllegalStateException("no class path entry for " + type.getName(), e);
                    }
                })
                .distinct()
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    @BeforeEach
    void flags() throws Exception {
        Files.createDirectories(FLAGS);
    }

    /** A Camunda user with this password (created once), a member of {@code approvers} when asked. */
    protected void camundaUser(String id, String password, boolean approver) {
        if (identityService.createUserQuery().userId(id).count() == 0) {
            User user = identityService.newUser(id);
            user.setPassword(password);
            identityService.saveUser(user);
        }
        if (approver
                && identityService
                                .createUserQuery()
                                .userId(id)
                                .memberOfGroup("approvers")
                                .count()
                        == 0) {
            identityService.createMembership(id, "approvers");
        }
    }

    protected TestRestTemplate admin() {
        return http.withBasicAuth(ADMIN, ADMIN_PASSWORD);
    }

    protected static Map<String, Object> spec(String title, String repository) {
        return Map.of(
                "title",
                title,
                "goal",
                "Give users a hello endpoint",
                "constraints",
                new String[] {"no new dependencies"},
                "successMetrics",
                new String[] {"GET /hello answers 200", "p99 latency under 50 ms"},
                "priority",
                "high",
                "riskLabels",
                new String[] {},
                "repository",
                repository);
    }

    /** A repository name no other test uses, so each test has its own demo git repository. */
    protected static String repo(String owner) {
        return owner + "/r" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected String submit(Map<String, Object> spec) {
        ResponseEntity<JsonNode> response = admin().postForEntity("/api/ideas", json(spec), JsonNode.class);
        if (!response.getStatusCode().is2xxSuccessful()) {
            throw new AssertionError("submit failed: " + response);
        }
        return response.getBody().get("id").asText();
    }

    protected JsonNode idea(String id) {
        return admin().getForObject("/api/ideas/" + id, JsonNode.class);
    }

    /** The idea's lifecycle instance, once the codex.intent consumer has started it. */
    protected String processInstance(String id) {
        return eventually().until(() -> idea(id).path("processInstanceId").asText(""), pi -> !pi.isEmpty());
    }

    protected String state(String id) {
        return idea(id).path("state").asText();
    }

    protected static HttpEntity<Object> json(Object body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return new HttpEntity<>(body, headers);
    }

    protected static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250));
    }

    /** Signs in to a Camunda webapp as its login page does: the CSRF cookie first, then the form, keeping the new session. */
    protected HttpHeaders webappSession(String app, String user, String password) {
        ResponseEntity<String> page = http.getForEntity("/camunda/app/" + app + "/default/", String.class);
        java.util.Map<String, String> cookies = new java.util.LinkedHashMap<>();
        page.getHeaders()
                .getOrEmpty(HttpHeaders.SET_COOKIE)
                .forEach(c -> cookies.put(c.split("=", 2)[0], c.split(";", 2)[0].split("=", 2)[1]));
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED);
        headers.set("X-XSRF-TOKEN", cookies.get("XSRF-TOKEN"));
        headers.set(
                HttpHeaders.COOKIE,
                cookies.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(java.util.stream.Collectors.joining("; ")));
        ResponseEntity<String> login = http.postForEntity(
                "/camunda/api/admin/auth/user/default/login/" + app,
                new HttpEntity<>("username=" + user + "&password=" + password, headers),
                String.class);
        if (!login.getStatusCode().is2xxSuccessful()) {
            throw new IllegalStateException(user + " could not sign in to " + app + ": " + login.getStatusCode());
        }
        login.getHeaders()
                .getOrEmpty(HttpHeaders.SET_COOKIE)
                .forEach(c -> cookies.put(c.split("=", 2)[0], c.split(";", 2)[0].split("=", 2)[1]));
        HttpHeaders signedIn = new HttpHeaders();
        signedIn.set("X-XSRF-TOKEN", cookies.get("XSRF-TOKEN"));
        signedIn.set(
                HttpHeaders.COOKIE,
                cookies.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(java.util.stream.Collectors.joining("; ")));
        return signedIn;
    }
}
