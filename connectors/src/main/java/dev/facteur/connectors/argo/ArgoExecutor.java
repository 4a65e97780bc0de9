package dev.facteur.connectors.argo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.stage.Executor;
import dev.facteur.model.stage.ExecutorUnavailableException;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Production {@link Executor}: each stage run is an Argo {@code Workflow} referencing the stage's
 * WorkflowTemplate, named by {@link StageRequest#workflowName()} so that a second submission of the
 * same attempt finds the first (409 AlreadyExists is success). An informer over the namespace's
 * Facteur workflows completes the futures when a phase turns terminal.
 *
 * <p>Closing the executor leaves waiting futures pending on purpose: the workflows go on in the
 * cluster, and after a restart the worker resubmits the same name and attaches to them.
 */
public final class ArgoExecutor implements Executor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ArgoExecutor.class);

    private final KubernetesClient client;
    private final ArgoExecutorSettings settings;
    private final WorkflowManifest manifest;
    private final WorkflowOutcome outcome;
    private final RunRegistry registry = new RunRegistry();
    private final ExecutorService completions;
    private final SharedIndexInformer<GenericKubernetesResource> informer;
    /** Workflows asked to stop and not yet terminal, with the reason they were stopped. */
    private final Map<String, String> stopping = new ConcurrentHashMap<>();

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemonThreads());
    private volatile boolean closed;

    /** Starts watching the namespace at once; the client stays the caller's to close. */
    public ArgoExecutor(KubernetesClient client, ArgoExecutorSettings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.manifest = new WorkflowManifest(settings);
        this.outcome = new WorkflowOutcome(settings.mapper());
        // results are handed over off the informer thread: a slow dependent (a REST call to the
        // engine) must not hold up the events of every other workflow
        this.completions = Executors.newFixedThreadPool(2, daemonThreads());
        this.informer = workflows()
                .withLabel(ArgoWorkflows.IDEA_LABEL)
                .runnableInformer(settings.resync().toMillis());
        informer.addEventHandler(new Events());
        informer.exceptionHandler((started, error) -> {
            // keep watching through API outages; futures complete once the watch is back
            log.warn(
                    "argo workflow informer in {} failed (started={}), retrying: {}",
                    settings.namespace(),
                    started,
                    error.toString());
            return true;
        });
        informer.start()
                .whenComplete((ignored, error) -> log.info(
                        "argo workflow informer in {} {}",
                        settings.namespace(),
                        error == null ? "synced" : "failed to start: " + error));
    }

    @Override
    public CompletableFuture<StageResult> submit(StageRequest request) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new IllegalStateException("argo executor is closed");
        }
        String name = request.workflowName();
        CompletableFuture<StageResult> future = registry.attach(name);
        if (future.isDone()) {
            log.info("workflow {} already finished; not submitting it again", name);
            return future;
        }
        try {
            workflows().resource(manifest.build(request)).create();
            log.info(
                    "submitted workflow {} ({} of idea {} task {}, attempt {}) from template {}",
                    name,
                    request.stage().id(),
                    request.ideaId(),
                    request.taskId(),
                    request.attempt(),
                    settings.templateFor(request));
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                // thrown, not a failed result: the worker retries the same name, no attempt is burnt
                String message = "could not submit workflow " + name + ": " + e.getMessage();
                if (apiUnavailable(e)) {
                    throw new ExecutorUnavailableException(message, e);
                }
                throw new IllegalStateException(message, e);
            }
            log.info("workflow {} already exists; attaching to it", name);
            // the informer delivers it too, but may not be watching right now
            Optional.ofNullable(workflows().withName(name).get()).ifPresent(this::settleIfTerminal);
        }
        return future;
    }

    @Override
    public Optional<RunState> status(String workflowName) {
        GenericKubernetesResource workflow = lookup(workflowName);
        if (workflow == null) {
            return Optional.empty();
        }
        Optional<StageResult> result = registry.settled(workflowName).or(() -> outcome.result(workflow));
        return Optional.of(result.map(r -> r.succeeded() ? RunState.SUCCEEDED : RunState.FAILED)
                .orElse(RunState.RUNNING));
    }

    @Override
    public void stop(String workflowName, String reason) {
        GenericKubernetesResource workflow = workflows().withName(workflowName).get();
        if (workflow == null) {
            settle(workflowName, StageResult.failed(reason));
            return;
        }
        stop(workflow, reason);
    }

    @Override
    public void stopAll(String ideaId, String reason) {
        GenericKubernetesResourceList listed = workflows()
                .withLabel(ArgoWorkflows.IDEA_LABEL, LabelValues.sanitise(ideaId))
                .list();
        listed.getItems().stream()
                // a sanitised label can be shared by two ideas; the parameter is the exact id
                .filter(workflow -> Objects.equals(ideaId, ArgoWorkflows.ideaId(workflow)))
                .forEach(workflow -> stop(workflow, reason));
    }

    @Override
    public void close() {
        closed = true;
        informer.close();
        completions.shutdown();
        timers.shutdownNow();
    }

    /** Whether the informer has listed the namespace once (tests wait for it). */
    boolean synced() {
        return informer.hasSynced();
    }

    /** The informer's cache: workflow name → resourceVersion (tests wait for it to catch up with the server). */
    Map<String, String> cachedVersions() {
        return ArgoWorkflows.versions(informer.getStore().list());
    }

    /** The result this executor settled for a name, if any (tests check the race memory). */
    Optional<StageResult> settled(String workflowName) {
        return registry.settled(workflowName);
    }

    /**
     * Asks Argo to stop the workflow ({@code spec.shutdown: Stop}) and reports it stopped only once Argo says it
     * is terminal, so that a retry never starts beside a pod that still runs. A workflow that does not turn
     * terminal within {@code stopTimeout} is given up as LOST: a failure that is not retried, for a person to check.
     */
    private void stop(GenericKubernetesResource workflow, String reason) {
        String name = ArgoWorkflows.name(workflow);
        if (ArgoWorkflows.isTerminal(workflow)) {
            settleIfTerminal(workflow);
            return;
        }
        ObjectNode patch = settings.mapper().createObjectNode();
        patch.putObject("spec").put("shutdown", "Stop");
        try {
            workflows()
                    .withName(name)
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            settings.mapper().writeValueAsString(patch));
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                settle(name, StageResult.failed(reason)); // gone already: nothing runs
                return;
            }
            // failing the future now would let a retry start a second live workflow beside it
            throw new IllegalStateException("could not stop workflow " + name + ": " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (stopping.putIfAbsent(name, reason) == null) {
            log.info("workflow {} of idea {} asked to stop: {}", name, ArgoWorkflows.ideaId(workflow), reason);
            timers.schedule(() -> giveUpStopping(name), settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        // it may have ended between the read and the patch, with no event left to tell
        Optional.ofNullable(workflows().withName(name).get()).ifPresent(this::settleIfTerminal);
    }

    private void giveUpStopping(String name) {
        String reason = stopping.remove(name);
        if (reason == null) {
            return;
        }
        GenericKubernetesResource workflow = lookup(name);
        if (workflow == null || ArgoWorkflows.isTerminal(workflow)) {
            settle(name, StageResult.failed(reason));
            return;
        }
        log.error("workflow {} did not stop within {}; its attempt is LOST", name, settings.stopTimeout());
        settle(
                name,
                StageResult.lost("LOST: workflow " + name + " was asked to stop (" + reason + ") but Argo still"
                        + " reports it " + ArgoWorkflows.phase(workflow) + " after " + settings.stopTimeout()
                        + "; check its pods before retrying"));
    }

    /**
     * Throttled, a server error, or no answer at all: worth the same request again. fabric8 reports a request
     * that got no HTTP answer (connection refused or dropped, timed out) with no status code (-1) and the I/O
     * failure or timeout as its cause; a code of -1 for any other reason (a request it could not build) is not
     * an outage.
     */
    static boolean apiUnavailable(KubernetesClientException e) {
        int code = e.getCode();
        return code == 429 || code >= 500 || (code <= 0 && noAnswer(e));
    }

    private static boolean noAnswer(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof IOException || e instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private GenericKubernetesResource lookup(String name) {
        GenericKubernetesResource cached = informer.getStore().getByKey(settings.namespace() + "/" + name);
        return cached != null ? cached : workflows().withName(name).get();
    }

    private void settleIfTerminal(GenericKubernetesResource workflow) {
        String name = ArgoWorkflows.name(workflow);
        outcome.result(workflow).ifPresent(result -> {
            String stopReason = stopping.remove(name);
            // a workflow we stopped ends Failed ("Stopped with strategy 'Stop'"): the reason we stopped it stands
            settle(
                    name,
                    stopReason == null ? result : StageResult.failed(stopReason).withUsage(result.usage()));
        });
    }

    private void settle(String name, StageResult result) {
        registry.settle(name, result).ifPresent(future -> {
            log.info("workflow {} finished {}: {}", name, result.status(), result.message());
            try {
                completions.execute(() -> future.complete(result));
            } catch (RejectedExecutionException e) {
                future.complete(result);
            }
        });
    }

    private NonNamespaceOperation<
                    GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            workflows() {
        return client.genericKubernetesResources(ArgoWorkflows.CONTEXT).inNamespace(settings.namespace());
    }

    /** Informer callbacks: every terminal phase settles its run, waited for or not. */
    private final class Events implements ResourceEventHandler<GenericKubernetesResource> {

        @Override
        public void onAdd(GenericKubernetesResource workflow) {
            settleIfTerminal(workflow);
        }

        @Override
        public void onUpdate(GenericKubernetesResource previous, GenericKubernetesResource current) {
            settleIfTerminal(current);
        }

        @Override
        public void onDelete(GenericKubernetesResource workflow, boolean finalStateUnknown) {
            String name = ArgoWorkflows.name(workflow);
            if (ArgoWorkflows.isTerminal(workflow)) {
                settleIfTerminal(workflow);
            } else if (stopping.remove(name) != null || registry.isWaiting(name)) {
                // nothing will ever finish it: fail the attempt so the stage can retry
                settle(name, StageResult.failed("workflow " + name + " was deleted before it finished"));
            }
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "facteur-argo-result-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
