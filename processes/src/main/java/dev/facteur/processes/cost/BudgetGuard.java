package dev.facteur.processes.cost;

import dev.facteur.connectors.outbox.Outbox;
import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.processes.commands.IdeaOverrides;
import dev.facteur.workers.cost.CostRecorder;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The budget policy, "stop and ask": an idea whose runs passed its budget ({@code budget.exceeded},
 * recorded by the cost recorder) is paused once, with a {@code budget.paused} event and a Discord
 * message; a person resumes it ({@code POST /api/ideas/{id}/resume}) to accept the spend, or cancels it.
 */
@Component
class BudgetGuard {

    private static final Logger log = LoggerFactory.getLogger(BudgetGuard.class);
    /** An idea that completed or was cancelled has nothing left to pause. */
    private static final List<String> ENDED = List.of(LifecycleState.COMPLETED.name(), LifecycleState.CANCELLED.name());

    private final NamedParameterJdbcTemplate jdbc;
    private final IdeaOverrides ideas;
    private final EventLog events;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final IdeaStore ideaRows;

    BudgetGuard(
            NamedParameterJdbcTemplate jdbc,
            IdeaOverrides ideas,
            EventLog events,
            Outbox outbox,
            TransactionTemplate transactions,
            IdeaStore ideaRows) {
        this.ideaRows = ideaRows;
        this.jdbc = jdbc;
        this.ideas = ideas;
        this.events = events;
        this.outbox = outbox;
        this.transactions = transactions;
    }

    @Scheduled(fixedDelayString = "${facteur.cost.check-interval:PT15S}")
    void pauseIdeasOverBudget() {
        List<String> over =
                jdbc.queryForList("""
                SELECT DISTINCT e.idea_id FROM facteur.events e JOIN facteur.ideas i ON i.id = e.idea_id
                WHERE e.event_type = :exceeded AND NOT i.paused AND i.status NOT IN (:ended)
                  AND NOT EXISTS (SELECT 1 FROM facteur.events p WHERE p.idea_id = e.idea_id AND p.event_type = 'budget.paused')""", Map.of("exceeded", CostRecorder.BUDGET_EXCEEDED, "ended", ENDED), String.class);
        for (String id : over) {
            try {
                transactions.executeWithoutResult(status -> {
                    // engine replicas all run this guard: the idea's row lock lets exactly one of them act
                    ideaRows.lock(id);
                    if (events.list(id).stream().anyMatch(event -> "budget.paused".equals(event.type()))) {
                        return;
                    }
                    ideas.pause(id, "policy:budget");
                    events.append(id, "budget.paused", "policy:budget", Map.of());
                    outbox.enqueue(OutboxMessage.discord(
                            "default",
                            "Idea " + id + " passed its budget and is paused:" + " resume it (POST /api/ideas/" + id
                                    + "/resume) to accept the spend, or cancel it."));
                });
                log.info("idea {} passed its budget: paused until a person resumes it", id);
            } catch (RuntimeException e) {
                log.warn("could not pause idea {} over budget: {}", id, e.getMessage());
            }
        }
    }
}
