package dev.facteur.workers.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.facteur.connectors.logging.LogThrottle;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.store.CompletionEvents;
import dev.facteur.model.store.RunStore;
import dev.facteur.workers.runtime.TransactionalTaskService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.camunda.bpm.client.exception.ConnectionLostException;
import org.camunda.bpm.client.exception.NotFoundException;
import org.camunda.bpm.client.exception.RestException;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a stage's result to the engine. With the engine in this process a successful result is stored and handed
 * over in one transaction; when that fails, and otherwise, the result is stored first; if the engine refuses it for
 * now (the idea is paused, the engine restarts, a concurrent change) delivery is retried until the lock would run
 * out, after which the next fetch of the task delivers the stored result. A refusal that is not for now (the
 * engine cannot take the result) is counted on the run: at {@code facteur.workers.max-delivery-failures} in a row
 * the task becomes an incident naming the error, rather than being retried forever. Each failure is logged at
 * most once a minute per idea, in one line.
 */
class StageDelivery {

    private static final Logger log = LoggerFactory.getLogger(StageDelivery.class);
    private static final int DETAILS_LIMIT = 4000;

    private final StageSupport support;
    private final StageWorker worker;
    private final LogThrottle logThrottle = new LogThrottle(Duration.ofMinutes(1));

    StageDelivery(StageSupport support, StageWorker worker) {
        this.support = support;
        this.worker = worker;
    }

    void await(
            StageContext context,
            ExternalTaskService service,
            StageRequest request,
            String stageId,
            CompletableFuture<StageResult> running) {
        long lockMillis = support.settings().lockDuration().toMillis();
        AtomicBoolean reconciled = new AtomicBoolean();
        ScheduledFuture<?> keepLocked = support.scheduler()
                .scheduleAtFixedRate(
                        () -> keepLocked(context, service, request, running, lockMillis, reconciled),
                        lockMillis / 2,
                        lockMillis / 2,
                        TimeUnit.MILLISECONDS);
        running.whenComplete((result, error) -> {
            keepLocked.cancel(false);
            if (error != null && Outage.isOutage(error)) {
                // a stage run through an API (GitHub) that is unavailable: the run stays unfinished, and the task is
                // fetched again later without spending a retry, which runs the same request again
                worker.waitOutOutage(
                        context,
                        service,
                        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                return;
            }
            StageResult outcome = error == null ? result : StageResult.failed(worker.topic() + ": " + error);
            if (deliveredWithItsOutcome(context, service, request, stageId, outcome, reconciled.get())) {
                return;
            }
            // observers (cost, artifacts, knowledge, telemetry) hear of a run once: from the worker that stored its
            // outcome, not from one whose lock expired while it waited and whose task another worker finished
            tellTheOtherObservers(request, stageId, recordOutcome(request, stageId, outcome, reconciled.get()));
            deliver(context, service, request.workflowName(), outcome);
        });
    }

    /**
     * With the engine in this process, a successful result's bookkeeping (its outcome, cost, artifacts, knowledge) and
     * the completion that hands it to the process commit as one transaction: one commit per stage instead of two, and
     * the audit events of both in one batch. Whatever fails in it (the engine refuses the completion for now, the worker
     * rejects the result, an observer fails) rolls all of it back, and the result goes the two-step way instead: stored
     * first, then delivered, retried or judged as there. True when it was delivered here.
     */
    private boolean deliveredWithItsOutcome(
            StageContext context,
            ExternalTaskService service,
            StageRequest request,
            String stageId,
            StageResult outcome,
            boolean reconciled) {
        if (!(service instanceof TransactionalTaskService) || !outcome.succeeded()) {
            return false;
        }
        String workflowName = request.workflowName();
        Optional<StageResult> told;
        try {
            told = support.transactions().execute(status -> {
                // stored here, the run is marked delivered with its outcome (this transaction completes the task);
                // stored before (by another worker or the reconciler), the completion marks it
                Stored stored = storeWithItsBookkeeping(request, stageId, outcome, true, reconciled);
                context.audits().clear();
                Map<String, Object> variables;
                try {
                    variables = worker.onSuccess(context, outcome);
                } catch (StageRejected rejected) {
                    throw new NotDeliveredTogether(rejected);
                }
                complete(
                        context,
                        service,
                        workflowName,
                        variables,
                        successEvents(context, workflowName, outcome),
                        stored.byThisCall() ? null : workflowName);
                return stored.told();
            });
        } catch (RuntimeException e) {
            context.audits().clear();
            log.debug(
                    "{}: {} not delivered with its outcome ({}); storing it first, then delivering it",
                    worker.topic(),
                    workflowName,
                    oneLine(e.getMessage()));
            return false;
        }
        context.audits().clear();
        tellTheOtherObservers(request, stageId, told);
        return true;
    }

    /** The worker rejected the result inside the transaction that was to deliver it with its outcome. */
    private static final class NotDeliveredTogether extends RuntimeException {
        NotDeliveredTogether(StageRejected cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /**
     * Stores the outcome (marked delivered with it when {@code deliveredWithIt}) priced by the cost meter in the same
     * statement, and tells the observers that write with the outcome (cost, artifacts,
     * knowledge) of the outcome this worker stored, all in the caller's transaction: one that throws rolls it back.
     */
    private Stored storeWithItsBookkeeping(
            StageRequest request, String stageId, StageResult outcome, boolean deliveredWithIt, boolean reconciled) {
        Optional<PricesTheOutcome> pricing = support.observers().stream()
                .filter(PricesTheOutcome.class::isInstance)
                .map(PricesTheOutcome.class::cast)
                .findFirst();
        RunStore.Price price =
                pricing.map(meter -> meter.price(request, stageId, outcome)).orElse(null);
        Optional<RunStore.Finished> finished = store(request.workflowName(), outcome, deliveredWithIt, price);
        Optional<StageResult> told = told(outcome, finished, reconciled);
        told.ifPresent(result -> support.observers().stream()
                .filter(StageObserver::writesWithTheOutcome)
                .forEach(observer -> {
                    if (observer == pricing.orElse(null)
                            && finished.map(RunStore.Finished::priced).isPresent()) {
                        pricing.get()
                                .pricedWithTheOutcome(
                                        request, stageId, finished.get().priced());
                    } else {
                        observer.finished(request, stageId, result);
                    }
                }));
        return new Stored(finished.isPresent(), told);
    }

    /**
     * What {@link #storeWithItsBookkeeping} did: whether this call stored the outcome, and the outcome the observers
     * heard of (see {@link #record}).
     */
    private record Stored(boolean byThisCall, Optional<StageResult> told) {}

    /** Tells the observers that do not write with the outcome (telemetry) of the outcome this worker stored. */
    private void tellTheOtherObservers(StageRequest request, String stageId, Optional<StageResult> told) {
        if (told.isEmpty()) {
            return;
        }
        org.slf4j.MDC.put("ideaId", request.ideaId());
        try {
            support.notifyObservers(observer -> {
                if (!observer.writesWithTheOutcome()) {
                    observer.finished(request, stageId, told.get());
                }
            });
        } finally {
            org.slf4j.MDC.remove("ideaId");
        }
    }

    void deliver(StageContext context, ExternalTaskService service, String workflowName, StageResult result) {
        Instant giveUpAt = Instant.now().plus(support.settings().lockDuration());
        tryDeliver(context, service, workflowName, result, giveUpAt, Duration.ofSeconds(1));
    }

    void fail(StageContext context, ExternalTaskService service, String message, String details) {
        service.handleFailure(
                context.externalTask(),
                message,
                truncate(details),
                remainingRetries(context),
                support.settings().retryBackoff().toMillis());
    }

    /** Asks for the task again after the backoff, with its retries as they are (an outage, not a failure). */
    void retryUnspent(
            StageContext context, ExternalTaskService service, String message, String details, Duration backoff) {
        Integer retries = context.externalTask().getRetries();
        // a task never failed before has no retries yet; its first failure would set retries() (see remainingRetries)
        service.handleFailure(
                context.externalTask(),
                truncate(message),
                truncate(details),
                retries == null ? support.settings().retries() + 1 : retries,
                backoff.toMillis());
    }

    private void tryDeliver(
            StageContext context,
            ExternalTaskService service,
            String workflowName,
            StageResult result,
            Instant giveUpAt,
            Duration backoff) {
        try {
            if (!handOver(context, service, workflowName, result)) {
                support.runs().markDelivered(workflowName);
            }
        } catch (NotFoundException e) {
            log.warn(
                    "{}: task of {} no longer exists (another delivery completed it, or the idea was cancelled);"
                            + " result kept in runs",
                    worker.topic(),
                    workflowName);
        } catch (RuntimeException e) {
            if (!refusedForNow(e)) {
                int refusals = support.runs().deliveryRefused(workflowName);
                if (refusals >= support.settings().maxDeliveryFailures()) {
                    String message = worker.topic() + ": the engine refused the result of " + workflowName + " "
                            + refusals + " times: " + oneLine(e.getMessage());
                    log.error("{}", message);
                    support.runs().resetDeliveryRefusals(workflowName);
                    service.handleFailure(context.externalTask(), truncate(message), truncate(e.toString()), 0, 0);
                    return;
                }
            }
            if (Instant.now().plus(backoff).isAfter(giveUpAt)) {
                if (logThrottle.allow(context.ideaId() + " " + worker.topic())) {
                    log.warn(
                            "{}: giving up delivering {} for now, the next fetch delivers it: {}",
                            worker.topic(),
                            workflowName,
                            oneLine(e.getMessage()));
                }
                return;
            }
            if (logThrottle.allow(context.ideaId() + " " + worker.topic())) {
                log.info(
                        "{}: engine refused result of {} ({}); retrying in {}",
                        worker.topic(),
                        workflowName,
                        oneLine(e.getMessage()),
                        backoff);
            }
            Duration next = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                    ? Duration.ofSeconds(30)
                    : backoff.multipliedBy(2);
            support.scheduler()
                    .schedule(
                            () -> tryDeliver(context, service, workflowName, result, giveUpAt, next),
                            backoff.toMillis(),
                            TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Whether the engine refused the result only for now: it could not be reached, another change to the idea
     * won the race (optimistic locking), the idea is paused (its task suspended), or its database is unavailable.
     */
    static boolean refusedForNow(RuntimeException e) {
        if (e instanceof ConnectionLostException || Outage.isOutage(e)) {
            return true;
        }
        String message = String.valueOf(e.getMessage());
        if (e instanceof RestException rest
                && ("OptimisticLockingException".equals(rest.getType())
                        || Integer.valueOf(1).equals(rest.getCode()))) {
            return true;
        }
        return message.contains("OptimisticLockingException")
                || message.contains("ENGINE-03005")
                || message.contains("is suspended")
                || message.contains("Could not open JDBC Connection")
                || e instanceof RestException rest
                        && rest.getHttpStatusCode() != null
                        && (rest.getHttpStatusCode() == 503 || rest.getHttpStatusCode() == 429);
    }

    /** The first line of a message, at most 500 characters: an engine error carries its SQL batch on the next. */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.lines().findFirst().orElse("").strip();
        return line.length() > 500 ? line.substring(0, 500) + "…" : line;
    }

    /**
     * Hands the result to the engine: true when a completion took it, which marked the run delivered with it; false
     * when it was a failure (the caller marks the run).
     */
    private boolean handOver(
            StageContext context, ExternalTaskService service, String workflowName, StageResult result) {
        String ideaId = context.ideaId();
        String actor = "worker:" + worker.topic();
        var verdict =
                result.succeeded() ? Optional.<Map<String, Object>>empty() : worker.verdictOfFailure(context, result);
        if (verdict.isPresent()) {
            complete(
                    context,
                    service,
                    workflowName,
                    verdict.get(),
                    List.of(new CompletionEvents.Event(
                            "stage.verdict",
                            Map.of(
                                    "workflow",
                                    workflowName,
                                    "message",
                                    String.valueOf(result.message()),
                                    "outputs",
                                    result.outputs()))));
            return true;
        }
        if (result.isLost()) {
            // the workload may still run: a retry beside it could do the work twice, so a person decides
            reject(
                    context,
                    service,
                    workflowName,
                    worker.topic() + " " + workflowName + ": " + result.message(),
                    result.message());
            return false;
        }
        if (!result.succeeded()) {
            int retries = remainingRetries(context);
            String message = worker.topic() + " " + workflowName + " failed: " + result.message();
            service.handleFailure(
                    context.externalTask(),
                    truncate(message),
                    truncate(result.message()),
                    retries,
                    support.settings().retryBackoff().toMillis());
            support.events()
                    .append(
                            ideaId,
                            "stage.failed",
                            actor,
                            Map.of(
                                    "workflow",
                                    workflowName,
                                    "message",
                                    String.valueOf(result.message()),
                                    "retriesLeft",
                                    retries));
            return false;
        }
        context.audits().clear(); // a retried delivery runs onSuccess again
        // with the engine in this process, the worker's writes and the completion that takes them are one commit
        boolean together = service instanceof TransactionalTaskService;
        Map<String, Object> variables;
        try {
            variables = successVariables(
                    context,
                    result,
                    together
                            ? read -> complete(
                                    context, service, workflowName, read, successEvents(context, workflowName, result))
                            : read -> {});
        } catch (CompletionRefused refused) {
            throw refused.getCause(); // nothing of it committed: tryDeliver tells a refusal for now from others
        } catch (StageRejected rejected) {
            reject(context, service, workflowName, rejected.getMessage(), rejected.details());
            return false;
        } catch (RuntimeException e) {
            if (Outage.isOutage(e)) {
                throw e; // delivered again once the database is back
            }
            // the result cannot be turned into the stage's variables (a deploy without a version): retrying the
            // delivery would fail the same way forever, so a person sees it as an incident
            log.error("{}: result of {} is unusable", worker.topic(), workflowName, e);
            reject(
                    context,
                    service,
                    workflowName,
                    worker.topic() + " " + workflowName + ": " + e.getMessage(),
                    e.toString());
            return false;
        }
        if (!together) {
            complete(context, service, workflowName, variables, successEvents(context, workflowName, result));
        }
        context.audits().clear();
        return true;
    }

    private static List<CompletionEvents.Event> successEvents(
            StageContext context, String workflowName, StageResult result) {
        List<CompletionEvents.Event> events = new ArrayList<>(context.audits());
        events.add(new CompletionEvents.Event(
                "stage.succeeded", Map.of("workflow", workflowName, "outputs", result.outputs())));
        return events;
    }

    /**
     * The worker's reading of a successful result; what it stores on the way (a plan's tasks, a deploy) commits once,
     * with what {@code thenInTheSameTransaction} does with the variables (the completion, when it joins).
     */
    private Map<String, Object> successVariables(
            StageContext context, StageResult result, Consumer<Map<String, Object>> thenInTheSameTransaction)
            throws StageRejected {
        StageRejected[] rejected = new StageRejected[1];
        Map<String, Object> variables = support.transactions().execute(status -> {
            Map<String, Object> read;
            try {
                read = worker.onSuccess(context, result);
            } catch (StageRejected e) {
                status.setRollbackOnly();
                rejected[0] = e;
                return null;
            }
            try {
                thenInTheSameTransaction.accept(read);
            } catch (RuntimeException e) {
                throw new CompletionRefused(e);
            }
            return read;
        });
        if (rejected[0] != null) {
            throw rejected[0];
        }
        return variables;
    }

    /** The engine refused a completion made in the worker's transaction (which rolled back with it). */
    private static final class CompletionRefused extends RuntimeException {
        CompletionRefused(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        @Override
        public synchronized RuntimeException getCause() {
            return (RuntimeException) super.getCause();
        }
    }

    /**
     * Completes the task with the events it adds and the mark that its run was delivered, written in the completion's
     * transaction: neither if it is refused.
     */
    private void complete(
            StageContext context,
            ExternalTaskService service,
            String workflowName,
            Map<String, Object> variables,
            List<CompletionEvents.Event> events) {
        complete(context, service, workflowName, variables, events, workflowName);
    }

    /** @param deliveredRun the run the completion marks delivered; null when it was marked with its outcome */
    private void complete(
            StageContext context,
            ExternalTaskService service,
            String workflowName,
            Map<String, Object> variables,
            List<CompletionEvents.Event> events,
            String deliveredRun) {
        AuditedCompletion.complete(
                service,
                context.externalTask(),
                variables,
                new CompletionEvents(context.ideaId(), "worker:" + worker.topic(), events, deliveredRun),
                support.events(),
                support.runs(),
                support.mapper());
    }

    private void reject(
            StageContext context, ExternalTaskService service, String workflowName, String reason, String details) {
        service.handleFailure(context.externalTask(), truncate(reason), truncate(details), 0, 0);
        support.events()
                .append(
                        context.ideaId(),
                        "stage.rejected",
                        "worker:" + worker.topic(),
                        Map.of("workflow", workflowName, "reason", reason));
    }

    private int remainingRetries(StageContext context) {
        Integer retries = context.externalTask().getRetries();
        return Math.max(0, retries == null ? support.settings().retries() : retries - 1);
    }

    /**
     * Stores the outcome and, in the same transaction, what the observers that {@linkplain
     * StageObserver#writesWithTheOutcome() write with it} record: one commit for the stage's bookkeeping. Returns the
     * outcome the observers are to hear of (with the run's wall time as stored when the executor reported none) when
     * this worker stored it, or the reconciler did while this worker waited; empty otherwise. If one of them fails,
     * the whole transaction rolls back and the outcome is stored alone, the observers then told one by one (one that
     * throws logged and skipped), as the others are.
     */
    private Optional<StageResult> recordOutcome(
            StageRequest request, String stageId, StageResult outcome, boolean reconciled) {
        try {
            return support.transactions().execute(status -> {
                return storeWithItsBookkeeping(request, stageId, outcome, false, reconciled)
                        .told();
            });
        } catch (RuntimeException e) {
            log.warn(
                    "{}: recording the outcome of {} with its cost and artifacts failed ({}); recording it alone",
                    worker.topic(),
                    request.workflowName(),
                    oneLine(e.getMessage()));
            Optional<StageResult> told = record(request.workflowName(), outcome, reconciled);
            told.ifPresent(result -> support.notifyObservers(observer -> {
                if (observer.writesWithTheOutcome()) {
                    observer.finished(request, stageId, result);
                }
            }));
            return told;
        }
    }

    /**
     * Stores the outcome; the outcome to tell the observers of when this call stored it (its usage given the run's
     * wall time when the executor reported none) or the reconciler did, empty when another worker stored it.
     */
    private Optional<StageResult> record(String workflowName, StageResult result, boolean reconciled) {
        return told(result, store(workflowName, result, false, null), reconciled);
    }

    /**
     * Stores the outcome once, marked delivered with it when the completion that hands it over is in the same
     * transaction, priced with it when a price is given; empty when the run had an outcome already.
     */
    private Optional<RunStore.Finished> store(
            String workflowName, StageResult result, boolean deliveredWithIt, RunStore.Price price) {
        try {
            return support.runs()
                    .finish(
                            workflowName,
                            result.succeeded() ? RunStore.SUCCEEDED : RunStore.FAILED,
                            support.mapper().writeValueAsString(result),
                            result.message(),
                            support.mapper().writeValueAsString(result.usage()),
                            deliveredWithIt,
                            price);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outcome the observers are to hear of, given what storing it returned (see {@link #record}). */
    private static Optional<StageResult> told(
            StageResult result, Optional<RunStore.Finished> finished, boolean reconciled) {
        if (finished.isEmpty()) {
            return reconciled ? Optional.of(result) : Optional.empty();
        }
        StageResult.Usage usage = result.usage();
        return Optional.of(
                usage.durationMillis() > 0
                        ? result
                        : result.withUsage(new StageResult.Usage(
                                finished.get().wallMillis(), usage.cpuSeconds(), usage.tokens())));
    }

    /**
     * Extends the lock while the workload runs. When the reconciler has meanwhile settled the run
     * (its workload vanished), waiting longer is pointless: the stored outcome is delivered instead.
     */
    private void keepLocked(
            StageContext context,
            ExternalTaskService service,
            StageRequest request,
            CompletableFuture<StageResult> running,
            long lockMillis,
            AtomicBoolean reconciled) {
        support.runs()
                .find(request.workflowName())
                .filter(run -> run.finished())
                .ifPresent(run -> {
                    reconciled.set(true);
                    running.complete(StageResult.failed(run.errorMessage()));
                });
        if (running.isDone()) {
            return;
        }
        try {
            service.extendLock(context.externalTask(), lockMillis);
        } catch (RuntimeException e) {
            log.debug(
                    "{}: could not extend lock of {}: {}",
                    worker.topic(),
                    context.externalTask().getId(),
                    e.getMessage());
        }
    }

    private static String truncate(String value) {
        if (value == null) {
            return null;
        }
        return value.length() <= DETAILS_LIMIT ? value : value.substring(0, DETAILS_LIMIT);
    }
}
