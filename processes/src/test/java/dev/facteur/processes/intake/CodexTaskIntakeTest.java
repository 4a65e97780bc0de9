package dev.facteur.processes.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import dev.facteur.connectors.kafka.Headers;
import dev.facteur.connectors.kafka.Topics;
import dev.facteur.connectors.proto.froussard.v1.CodexFailingCheck;
import dev.facteur.connectors.proto.froussard.v1.CodexReviewContext;
import dev.facteur.connectors.proto.froussard.v1.CodexTask;
import dev.facteur.connectors.proto.froussard.v1.CodexTaskStage;
import dev.facteur.connectors.proto.intake.v1.IdeaEvent;
import dev.facteur.connectors.proto.intake.v1.IdeaSource;
import dev.facteur.model.idea.IdeaSpec;
import dev.facteur.processes.EngineTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaTemplate;

/** Froussard's CodexTask protobuf (the seed's schema) over HTTP and on github.issues.codex.tasks. */
class CodexTaskIntakeTest extends EngineTest {

    @Autowired
    RuntimeService runtime;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Test
    void aPlanningTaskPostedAsProtobufStartsTheIdeaOfThatIssueOnce() {
        String repository = repo("octo");
        CodexTask planning = task(
                CodexTaskStage.CODEX_TASK_STAGE_PLANNING,
                repository,
                21,
                UUID.randomUUID().toString());

        ResponseEntity<JsonNode> first = post(planning.toByteArray());
        ResponseEntity<JsonNode> again = post(planning.toByteArray());

        assertThat(first.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(first.getBody().get("stage").asText()).isEqualTo("planning");
        String id = first.getBody().get("ideaId").asText();
        assertThat(id).isEqualTo(IdeaEvents.githubIdeaId(repository, 21));
        assertThat(first.getBody().get("taskId").asText()).startsWith(id);
        assertThat(first.getBody().get("duplicate").asBoolean()).isFalse();
        assertThat(again.getBody().get("duplicate").asBoolean()).isTrue();
        processInstance(id);
        assertThat(runtime.createProcessInstanceQuery()
                        .processInstanceBusinessKey(id)
                        .count())
                .isEqualTo(1);

        CodexTask review =
                task(
                                CodexTaskStage.CODEX_TASK_STAGE_REVIEW,
                                repository,
                                21,
                                UUID.randomUUID().toString())
                        .toBuilder()
                        .setReviewContext(CodexReviewContext.newBuilder()
                                .setSummary("tests are red")
                                .addFailingChecks(CodexFailingCheck.newBuilder()
                                        .setName("ci")
                                        .setConclusion("failure")))
                        .build();
        ResponseEntity<JsonNode> routed = post(review.toByteArray());
        assertThat(routed.getBody().get("stage").asText()).isEqualTo("review");
        assertThat(routed.getBody().get("duplicate").asBoolean()).isFalse();
        assertThat(idea(id).get("events").toString())
                .contains("codex-task.review")
                .contains("tests are red");
    }

    @Test
    void aPlanningTaskOnTheTopicStartsTheIdeaAndAPoisonMessageGoesToTheDeadLetterTopicWithoutBlocking()
            throws Exception {
        String repository = repo("octo");
        byte[] poison = {0x0a, 0x7f, 0x01};
        kafka.send(new ProducerRecord<>(Topics.CODEX_TASKS, "issue-22-planning", poison))
                .get();
        CodexTask planning = task(
                CodexTaskStage.CODEX_TASK_STAGE_PLANNING,
                repository,
                22,
                UUID.randomUUID().toString());
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.CODEX_TASKS, "issue-22-planning", planning.toByteArray());
        record.headers().add(Headers.CONTENT_TYPE, Headers.PROTOBUF.getBytes(StandardCharsets.UTF_8));
        record.headers()
                .add(Headers.PROTOBUF_MESSAGE, "proompteng.froussard.v1.CodexTask".getBytes(StandardCharsets.UTF_8));
        kafka.send(record).get();

        String id = IdeaEvents.githubIdeaId(repository, 22);
        eventually()
                .until(() -> admin().getForEntity("/api/ideas/" + id, String.class)
                        .getStatusCode()
                        .is2xxSuccessful());
        processInstance(id);
        ConsumerRecord<String, byte[]> dead = deadLetter(Topics.CODEX_TASKS, poison);
        assertThat(new String(
                        dead.headers().lastHeader(Headers.DEAD_LETTER_REASON).value(), StandardCharsets.UTF_8))
                .contains("invalid payload");
    }

    /**
     * Issue 19, the Kafka entrance: an IdeaEvent another producer puts straight on {@code codex.intent} is held to the
     * same limits as every other entrance. One outside them is dead-lettered naming the field, and starts nothing.
     */
    @Test
    void anIdeaEventOnCodexIntentOutsideTheLimitsIsDeadLetteredNamingTheFieldAndStartsNothing() throws Exception {
        String repository = repo("intent");
        IdeaEvent valid = IdeaEvents.of(
                IdeaEvents.githubIdeaId(repository, 31),
                IdeaSource.IDEA_SOURCE_GITHUB,
                repository + "#31",
                new IdeaSpec(
                        "Intent",
                        "Give users a hello endpoint",
                        List.of("no new dependencies"),
                        List.of("GET /hello answers 200"),
                        "medium",
                        List.of(),
                        repository),
                "another-producer",
                UUID.randomUUID().toString(),
                java.time.Instant.now());
        Map<String, IdeaEvent> refused = Map.of(
                "title",
                valid.toBuilder().setTitle("nul \u0000").build(),
                "goal",
                valid.toBuilder().setGoal("g".repeat(10_001)).build(),
                "repository",
                valid.toBuilder().setRepository("../../etc/passwd").build(),
                "riskLabels[0]",
                valid.toBuilder().addRiskLabels("l".repeat(300)).build(),
                "delivery_id",
                valid.toBuilder()
                        .setDeliveryId("d".repeat(IdeaValidation.MAX_REFERENCE + 1))
                        .build());
        for (IdeaEvent event : refused.values()) {
            kafka.send(Topics.CODEX_INTENT, event.getIdeaId(), event.toByteArray())
                    .get();
        }

        refused.forEach((field, event) -> assertThat(new String(
                        deadLetter(Topics.CODEX_INTENT, event.toByteArray())
                                .headers()
                                .lastHeader(Headers.DEAD_LETTER_REASON)
                                .value(),
                        StandardCharsets.UTF_8))
                .as(field)
                .contains(field));
        assertThat(runtime.createProcessInstanceQuery()
                        .processInstanceBusinessKey(valid.getIdeaId())
                        .count())
                .isZero();
        assertThat(admin().getForEntity("/api/ideas/" + valid.getIdeaId(), String.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void emptyOrUndecodableBodiesAreRefusedWithTheExistingStacksErrorShape() {
        ResponseEntity<JsonNode> empty = post(new byte[0]);
        assertThat(empty.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(empty.getBody().get("error").asText()).isEqualTo("empty payload");
        ResponseEntity<JsonNode> garbage = post(new byte[] {0x0a, 0x7f, 0x01});
        assertThat(garbage.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(garbage.getBody().get("error").asText()).isEqualTo("invalid payload");
        assertThat(garbage.getBody().get("details").asText()).isNotBlank();
        ResponseEntity<JsonNode> orphan = post(task(
                        CodexTaskStage.CODEX_TASK_STAGE_IMPLEMENTATION,
                        repo("octo"),
                        23,
                        UUID.randomUUID().toString())
                .toByteArray());
        assertThat(orphan.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(orphan.getBody().get("error").asText()).contains("planning CodexTask must come first");
    }

    private ConsumerRecord<String, byte[]> deadLetter(String topic, byte[] value) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.deadLetter(topic)));
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            return eventually()
                    .until(
                            () -> {
                                consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
                                return seen.stream()
                                        .filter(r -> java.util.Arrays.equals(r.value(), value))
                                        .findFirst()
                                        .orElse(null);
                            },
                            r -> r != null);
        }
    }

    @Test
    void withoutTheIntakeTokenOrFromASenderNotAllowedNothingStarts() {
        String repository = repo("octo");
        CodexTask fromMallory =
                task(
                                CodexTaskStage.CODEX_TASK_STAGE_PLANNING,
                                repository,
                                23,
                                UUID.randomUUID().toString())
                        .toBuilder()
                        .setSender("mallory")
                        .build();
        CodexTask elsewhere =
                task(
                                CodexTaskStage.CODEX_TASK_STAGE_PLANNING,
                                repository,
                                24,
                                UUID.randomUUID().toString())
                        .toBuilder()
                        .setIssueBody(GitHubWebhooks.ideaBody(
                                        "Give users a hello endpoint",
                                        "no new dependencies",
                                        "GET /hello answers 200",
                                        "medium")
                                .replace("_No response_", "victim/production"))
                        .build();
        HttpHeaders wrongToken = new HttpHeaders();
        wrongToken.setContentType(MediaType.parseMediaType("application/x-protobuf"));
        wrongToken.setBearerAuth("not-the-intake-token");

        assertThat(http.postForEntity(
                                "/codex/tasks", new HttpEntity<>(fromMallory.toByteArray(), wrongToken), JsonNode.class)
                        .getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        ResponseEntity<JsonNode> refused = post(fromMallory.toByteArray());
        ResponseEntity<JsonNode> misdirected = post(elsewhere.toByteArray());

        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(refused.getBody().get("error").asText()).contains("mallory");
        assertThat(misdirected.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(misdirected.getBody().get("error").asText()).startsWith("Repository: may only name");
        for (long issue : List.of(23L, 24L)) {
            String id = IdeaEvents.githubIdeaId(repository, issue);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM facteur.ideas WHERE id = ?", Integer.class, id))
                    .isZero();
            assertThat(jdbc.queryForList("SELECT event_type FROM facteur.events WHERE idea_id = ?", String.class, id))
                    .containsExactly("intake.refused");
        }
    }

    private ResponseEntity<JsonNode> post(byte[] body) {
        return http.postForEntity("/codex/tasks", fromFroussard(body), JsonNode.class);
    }

    /** A CodexTask as Froussard's delivery posts it: protobuf, with the intake bearer token of the test profile. */
    static HttpEntity<byte[]> fromFroussard(byte[] body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.parseMediaType("application/x-protobuf"));
        headers.setBearerAuth("test-intake-token");
        return new HttpEntity<>(body, headers);
    }

    static CodexTask task(CodexTaskStage stage, String repository, long issue, String deliveryId) {
        return CodexTask.newBuilder()
                .setStage(stage)
                .setPrompt("Implement the hello endpoint")
                .setRepository(repository)
                .setBase("main")
                .setHead("codex/issue-" + issue + "-" + deliveryId.substring(0, 8))
                .setIssueNumber(issue)
                .setIssueUrl("https://github.com/" + repository + "/issues/" + issue)
                .setIssueTitle("Hello endpoint")
                .setIssueBody(GitHubWebhooks.ideaBody(
                        "Give users a hello endpoint", "no new dependencies", "GET /hello answers 200", "medium"))
                .setSender("octocat")
                .setIssuedAt(Timestamp.newBuilder().setSeconds(1_760_000_000))
                .setDeliveryId(deliveryId)
                .build();
    }
}
