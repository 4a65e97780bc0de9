package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facteur.model.store.CompletionEvents;
import dev.facteur.model.store.EventLog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

class EventLogTest extends EngineTest {

    @Autowired
    EventLog events;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void eventsAreChainedByHashPerIdea() {
        events.append("chain-test", "a", "test", Map.of("n", 1));
        events.append("chain-test", "b", "test", Map.of("n", 2));

        var chain = events.list("chain-test");

        assertThat(chain).extracting(EventLog.Event::seq).containsExactly(1, 2);
        String prevOfSecond = jdbc.queryForObject(
                "SELECT prev_hash FROM facteur.events WHERE idea_id = 'chain-test' AND seq = 2", String.class);
        assertThat(prevOfSecond).isEqualTo(chain.get(0).hash());
        assertThat(events.firstBrokenEvent("chain-test")).isEmpty();
    }

    @Test
    void eventsAppendedTogetherAreChainedInTheirOrderAfterTheOnesBefore() {
        events.append("batch-chain-test", "first", "test", Map.of());
        events.appendAll(
                "batch-chain-test",
                "worker:test",
                List.of(
                        new CompletionEvents.Event("second", Map.of("n", 2)),
                        new CompletionEvents.Event("third", Map.of("n", 3)),
                        new CompletionEvents.Event("fourth", Map.of())));

        var chain = events.list("batch-chain-test");

        assertThat(chain).extracting(EventLog.Event::type).containsExactly("first", "second", "third", "fourth");
        assertThat(chain).extracting(EventLog.Event::seq).containsExactly(1, 2, 3, 4);
        assertThat(chain.subList(1, 4)).extracting(EventLog.Event::actor).containsOnly("worker:test");
        assertThat(events.firstBrokenEvent("batch-chain-test")).isEmpty();
    }

    @Test
    void aTransactionsEventsAreWrittenTogetherAsItCommitsAndNotAtAllWhenItRollsBack() {
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        transaction.executeWithoutResult(status -> {
            events.append("deferred-test", "first", "test", Map.of());
            events.appendAll(
                    "deferred-test",
                    "worker:test",
                    List.of(
                            new CompletionEvents.Event("second", Map.of("n", 2)),
                            new CompletionEvents.Event("third", Map.of("n", 3))));
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM facteur.events WHERE idea_id = 'deferred-test'", Long.class))
                    .as("not sent before the commit")
                    .isZero();
        });
        assertThat(events.list("deferred-test"))
                .extracting(EventLog.Event::type)
                .containsExactly("first", "second", "third");

        transaction.executeWithoutResult(status -> {
            events.append("deferred-test", "rolled back", "test", Map.of());
            TransactionTemplate own = new TransactionTemplate(transactions);
            own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
            own.executeWithoutResult(inner -> events.append("deferred-test", "its own", "test", Map.of()));
            // reading the log in the transaction sends what it added first
            assertThat(events.list("deferred-test"))
                    .extracting(EventLog.Event::type)
                    .containsExactly("first", "second", "third", "its own", "rolled back");
            status.setRollbackOnly();
        });

        assertThat(events.list("deferred-test"))
                .extracting(EventLog.Event::type)
                .containsExactly("first", "second", "third", "its own");
        assertThat(events.firstBrokenEvent("deferred-test")).isEmpty();
    }

    @Test
    void theEventsTableRefusesUpdateAndDelete() {
        events.append("append-only-test", "a", "test", Map.of());

        assertThatThrownBy(() ->
                        jdbc.update("UPDATE facteur.events SET actor = 'mallory' WHERE idea_id = 'append-only-test'"))
                .isInstanceOf(DataAccessException.class)
                .rootCause()
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM facteur.events WHERE idea_id = 'append-only-test'"))
                .isInstanceOf(DataAccessException.class)
                .rootCause()
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.execute("TRUNCATE facteur.events"))
                .isInstanceOf(DataAccessException.class)
                .rootCause()
                .hasMessageContaining("append-only");
        assertThat(events.list("append-only-test")).hasSize(1);
    }
}
