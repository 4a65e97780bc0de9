package dev.facteur.processes.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facteur.processes.EngineTest;
import java.util.Map;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.ResponseEntity;

/**
 * Issue 19: a command the database refuses made Camunda log its whole SQL batch, parameters included, twice per
 * attempt (ENGINE-16004 and ENGINE-REST-HTTP500), on every retry: 170 KB per attempt with a 5,000-character
 * variable, 2.4 GB in 18 minutes in the issue. Now each is logged once a minute, its messages cut to their first line.
 */
@ExtendWith(OutputCaptureExtension.class)
class EngineFailureLogTest extends EngineTest {

    private static final String PROCESS = "test-oversized-variable";

    @Autowired
    RepositoryService repository;

    @Test
    void aRefusedCommandRetriedFiveTimesIsLoggedOnceInBoundedLinesThatStillNameTheReason(CapturedOutput output) {
        repository
                .createDeployment()
                .name(PROCESS)
                .enableDuplicateFiltering(true)
                .addModelInstance(
                        PROCESS + ".bpmn",
                        Bpmn.createExecutableProcess(PROCESS)
                                .camundaHistoryTimeToLive(1)
                                .startEvent()
                                .userTask("UserTask_Wait")
                                .endEvent()
                                .done())
                .deploy();
        int from = output.getOut().length();

        for (int attempt = 0; attempt < 5; attempt++) {
            // as a worker's retried completion would: the same oversized string variable, refused by the flush
            ResponseEntity<String> refused = admin().postForEntity(
                            "/engine-rest/process-definition/key/" + PROCESS + "/start",
                            json(Map.of(
                                    "variables",
                                    Map.of("summary", Map.of("value", "x".repeat(5000), "type", "String")))),
                            String.class);
            assertThat(refused.getStatusCode().value()).isEqualTo(500);
        }

        String logged = output.getOut().substring(from);
        assertThat(count(
                        logged,
                        "ENGINE-16004 Exception while closing command context: An exception occurred in the"
                                + " persistence layer"))
                .isOne();
        assertThat(count(logged, "ENGINE-REST-HTTP500")).isOne();
        assertThat(logged)
                .contains("Caused by: org.postgresql.util.PSQLException: ERROR: value too long for type"
                        + " character varying(4000)")
                .doesNotContain("xxxxxxxxxx")
                .doesNotContain("PROC_DEF_KEY_");
        assertThat(logged.lines()).allMatch(line -> line.length() < 4500);
        assertThat(logged.length()).isLessThan(60_000);
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
