package dev.facteur.processes.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facteur.processes.EngineTest;
import dev.facteur.processes.laptop.LocalKafka;
import java.util.ArrayList;
import java.util.List;
import kafka.server.BrokerServer;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The real broker stops while ideas arrive and restarts on the same address with its log: the outbox holds
 * the IdeaEvents until it can publish them and the consumer reconnects, so none is lost and none starts twice.
 */
class BrokerRestartTest extends EngineTest {

    @Autowired
    RuntimeService runtime;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void ideasSubmittedWhileTheBrokerIsDownStartOnceItIsBack() throws Exception {
        BrokerServer broker = ((EmbeddedKafkaKraftBroker) LocalKafka.broker())
                .getCluster()
                .brokers()
                .values()
                .iterator()
                .next();
        broker.shutdown();
        broker.awaitShutdown();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                ids.add(submit(spec("During the outage " + i, repo("octo"))));
            }
            eventually()
                    .until(() -> jdbc.queryForObject(
                                    "SELECT count(*) FROM facteur.outbox WHERE message_key IN ("
                                            + String.join(
                                                    ",",
                                                    ids.stream()
                                                            .map(id -> "'" + id + "'")
                                                            .toList())
                                            + ") AND sent_at IS NULL AND attempts > 0",
                                    Integer.class)
                            == 3);
            assertThat(ids)
                    .allSatisfy(
                            id -> assertThat(idea(id).path("processInstanceId").isMissingNode())
                                    .isTrue());
        } finally {
            broker.startup();
        }

        ids.forEach(this::processInstance);
        ids.forEach(id -> assertThat(runtime.createProcessInstanceQuery()
                        .processInstanceBusinessKey(id)
                        .count())
                .isEqualTo(1));
    }
}
