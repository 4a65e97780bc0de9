package dev.facteur.workers.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.store.RunStore;
import dev.facteur.model.store.RunStore.NewRun;
import dev.facteur.model.store.RunStore.Run;
import dev.facteur.model.store.TaskStore;
import dev.facteur.workers.runtime.TopicWorker;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one lifecycle stage for a fetched external task. The task stays locked (and its lock
 * extended) while the executor works; the executor's result then completes it, or fails it with
 * decreasing retries so that the last failure becomes an incident carrying the stage's message.
 * Every attempt is a row in {@code runs} under a deterministic name, so a refetch after a lost lock
 * or a restart attaches to the same workload, or delivers its stored result, instead of starting a
 * second one.
 */
public abstract class StageWorker implements TopicWorker {

    private static final Logger log = LoggerFactory.getLogger(StageWorker.class);

    protected final StageSupport support;
    private final StageDelivery delivery;

    protected StageWorker(StageSupport support) {
        this.support = support;
        this.delivery = new StageDelivery(support, this);
    }

    protected abstract Stage stage();

    /** The stage's name in runs and events; a model-defined stage uses the name its model gives. */
    protected String stageId(StageContext context) {
        return stage().id();
    }

    /** Stage-specific request parameters, on top of the configured defaults. */
    protected void addParameters(StageContext context, Idea idea, ObjectNode parameters) {}

    /** Turns a successful result into process variables, or rejects it. */
    protected Map<String, Object> onSuccess(StageContext context, StageResult result) throws StageRejected {
        return Map.of();
    }

    /**
     * Runs the stage: by default the executor's workload. A stage that can do its work through an
     * API instead (GitHub, Prometheus) overrides this; the run is recorded and delivered the same way.
     */
    protected CompletableFuture<StageResult> run(StageContext context, StageRequest request) {
        return support.executor().submit(request);
    }

    /**
     * A failed result that is a verdict for the model to act on (a review whose tests failed) rather
     * than a broken stage: its process variables, and the task completes instead of being retried.
     * Empty (the default) for a failure that should be retried and end in an incident.
     */
    protected Optional<Map<String, Object>> verdictOfFailure(StageContext context, StageResult result) {
        return Optional.empty();
    }

    @Override
    public String topic() {
        return stage().topic();
    }

    @Override
    public void execute(ExternalTask task, ExternalTaskService service) {
        StageContext context = StageContext.of(task);
        MDC.put("ideaId", context.ideaId());
        if (context.taskId() != null) {
            MDC.put("taskId", context.taskId());
        }
        try {
            if (!stillLocked(task, service)) {
                return;
            }
            // the lookup of a held run and, when there is none, a new attempt's reads, run row and event: one
            // transaction
            Lookup lookup = support.transactions().execute(status -> lookUp(context));
            Optional<Run> held = lookup.held();
            if (held.isPresent() && held.get().finished()) {
                if (!held.get().delivered()) {
                    delivery.deliver(context, service, held.get().workflowName(), storedResult(held.get()));
                    return;
                }
                // its last run was handed over: a retry (a failure, an incident retried) starts a new attempt, but
                // a copy of the task fetched before another delivery completed it must not run the stage again
                if (!claimed(task, service)) {
                    return;
                }
            }
            StageRequest request = lookup.started() != null
                    ? lookup.started()
                    : held.filter(run -> !run.finished())
                            .map(this::storedRequest)
                            .orElseGet(() -> support.transactions().execute(status -> newAttempt(context)));
            log.info("{} submitting {} (attempt {})", topic(), request.workflowName(), request.attempt());
            String stageId = stageId(context);
            support.notifyObservers(observer -> observer.submitted(request, stageId));
            delivery.await(context, service, request, stageId, run(context, request));
        } catch (RuntimeException e) {
            if (Outage.isOutage(e)) {
                waitOutOutage(context, service, e);
                return;
            }
            log.error("{} could not start stage for {}", topic(), context.ideaId(), e);
            delivery.fail(context, service, stage().topic() + " could not start: " + e.getMessage(), e.toString());
        } finally {
            MDC.remove("ideaId");
            MDC.remove("taskId");
        }
    }

    /**
     * The executor's API or the database is unavailable: the same submission is tried again soon, without
     * spending a retry, until the outage has lasted {@code outage-tolerance}; after that it spends retries
     * as any failure does, so a lasting outage still ends in an incident.
     */
    void waitOutOutage(StageContext context, ExternalTaskService service, Throwable e) {
        Instant now = Instant.now();
        Instant since = Outage.since(context.externalTask().getErrorMessage()).orElse(now);
        Duration lasted = Duration.between(since, now);
        String message = Outage.message(topic(), since, e);
        if (lasted.compareTo(support.settings().outageTolerance()) < 0) {
            log.warn("{} for {}, retrying without spending a retry: {}", topic(), context.ideaId(), message);
            delivery.retryUnspent(context, service, message, e.toString(), Outage.backoff(lasted, e, now));
        } else {
            log.error(
                    "{} for {} for longer than {}: {}",
                    topic(),
                    context.ideaId(),
                    support.settings().outageTolerance(),
                    message,
                    e);
            delivery.fail(context, service, message, e.toString());
        }
    }

    /**
     * Whether this worker still holds the task. The client hands over fetched tasks one after another: one that
     * waited behind a slow handler may have outlived its lock and been fetched, run and finished by another
     * worker, and acting on it now would run the stage a second time. A task with less than half its lock left
     * is claimed again ({@code extendLock}, refused unless this worker still holds it) before anything is done.
     */
    private boolean stillLocked(ExternalTask task, ExternalTaskService service) {
        Date expires = task.getLockExpirationTime();
        long lockMillis = support.settings().lockDuration().toMillis();
        return expires == null
                || expires.getTime() - System.currentTimeMillis() > lockMillis / 2
                || claimed(task, service);
    }

    /** Claims the task again ({@code extendLock}): refused when it no longer exists or another worker holds it. */
    private boolean claimed(ExternalTask task, ExternalTaskService service) {
        try {
            service.extendLock(task, support.settings().lockDuration().toMillis());
            return true;
        } catch (RuntimeException e) {
            log.warn(
                    "{}: task {} is no longer this worker's (completed meanwhile, or its lock ran out and another"
                            + " worker holds it); leaving it alone ({})",
                    topic(),
                    task.getId(),
                    e.getMessage());
            return false;
        }
    }

    /** The run held for this external task, or, when there is none, the attempt just started for it. */
    private record Lookup(Optional<Run> held, StageRequest started) {}

    private Lookup lookUp(StageContext context) {
        RunStore.Attempts attempts = attempts(context);
        return attempts.held().isPresent()
                ? new Lookup(attempts.held(), null)
                : new Lookup(attempts.held(), newAttempt(context, attempts));
    }

    /** A new attempt after the last one of its stage (read now). */
    private StageRequest newAttempt(StageContext context) {
        return newAttempt(context, attempts(context));
    }

    private RunStore.Attempts attempts(StageContext context) {
        return support.runs()
                .attempts(context.externalTask().getId(), context.ideaId(), taskRowId(context), stageId(context));
    }

    private static String taskRowId(StageContext context) {
        return context.taskId() == null ? null : TaskStore.taskId(context.ideaId(), context.taskId());
    }

    /** The attempt after the last one of {@code attempts}, of the idea read with them. */
    private StageRequest newAttempt(StageContext context, RunStore.Attempts attempts) {
        Idea idea = attempts.idea()
                .orElseThrow(() -> new IllegalStateException("idea " + context.ideaId() + " is not registered"));
        int attempt = attempts.last() + 1;
        String taskRowId = taskRowId(context);
        String stageId = stageId(context);
        ObjectNode parameters = support.mapper().createObjectNode();
        support.defaultParameters().forEach(parameters::put);
        parameters.put(StageRequest.IDEA_TITLE, idea.title());
        addParameters(context, idea, parameters);
        String branch = "facteur/" + context.ideaId();
        StageRequest request = new StageRequest(
                context.ideaId(), context.taskId(), stage(), attempt, idea.repository(), branch, parameters);
        support.runs()
                .start(new NewRun(
                        context.ideaId(),
                        taskRowId,
                        stageId,
                        attempt,
                        request.workflowName(),
                        support.executorType(),
                        context.externalTask().getId(),
                        json(request)));
        support.events()
                .append(
                        context.ideaId(),
                        "stage.submitted",
                        "worker:" + topic(),
                        Map.of(
                                "stage",
                                stageId,
                                "workflow",
                                request.workflowName(),
                                "attempt",
                                attempt,
                                "task",
                                context.taskId() == null ? "" : context.taskId()));
        return request;
    }

    private StageRequest storedRequest(Run run) {
        try {
            return support.mapper().readValue(run.requestJson(), StageRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run " + run.workflowName() + " has an unreadable request", e);
        }
    }

    private StageResult storedResult(Run run) {
        // a failed run's stored result too: a LOST attempt must stay one after a restart
        if ((RunStore.SUCCEEDED.equals(run.status()) || RunStore.FAILED.equals(run.status()))
                && run.resultJson() != null) {
            try {
                return support.mapper().readValue(run.resultJson(), StageResult.class);
            } catch (JsonProcessingException e) {
                return StageResult.failed("stored result of " + run.workflowName() + " is unreadable");
            }
        }
        return StageResult.failed(run.errorMessage() == null ? run.status() : run.errorMessage());
    }

    private String json(Object value) {
        try {
            return support.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
