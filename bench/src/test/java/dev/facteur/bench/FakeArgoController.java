package dev.facteur.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake of Argo's workflow controller, for fabric8's mock API server: it watches Workflows and gives each new one
 * without a status, after a short run, the terminal status Argo's controller would write. A seeded share of them
 * {@code Failed}; the others {@code Succeeded} with the stage's result JSON in the output parameter {@code result}
 * ({@link InstantOutputs} for the request decoded from the {@code eventBody} parameter). It works through the API
 * as the real controller does, so an API outage holds up its writes too; it repeats them until they are accepted.
 *
 * <p>A stage's last attempt ({@code facteur.workers.retries} + 1) is never failed: three Failed workflows in a row
 * would be an incident by design (0.8 % of stages at a 20 % share), which is not what the scenario is about. How
 * many last attempts were spared so is counted ({@link #spared()}) and reported.
 */
final class FakeArgoController implements AutoCloseable {

    static final String USER_AGENT = "fake-argo-controller";
    static final String FAILED_MESSAGE = "failed on purpose by the fake Argo controller";
    static final String NAMESPACE = "argo-workflows";
    static final ResourceDefinitionContext WORKFLOWS = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io")
            .withVersion("v1alpha1")
            .withKind("Workflow")
            .withPlural("workflows")
            .withNamespaced(true)
            .build();
    /** How long a workflow "runs" before its status is written: a random time up to this. */
    private static final int RUN_MILLIS = 2000;

    private static final int RETRY_MILLIS = 1000;

    private final KubernetesClient client;
    private final ObjectMapper mapper;
    private final JsonNode plan;
    private final double failedShare;
    private final int lastAttempt;
    private final Random random;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger spared = new AtomicInteger();
    private final AtomicInteger refusedWrites = new AtomicInteger();
    private SharedIndexInformer<GenericKubernetesResource> informer;

    FakeArgoController(
            KubernetesClient client,
            ObjectMapper mapper,
            JsonNode plan,
            double failedShare,
            long seed,
            int lastAttempt) {
        this.client = client;
        this.mapper = mapper;
        this.plan = plan;
        this.failedShare = failedShare;
        this.lastAttempt = lastAttempt;
        this.random = new Random(seed);
    }

    void start() {
        informer = workflows().runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource workflow) {
                run(workflow);
            }

            @Override
            public void onUpdate(GenericKubernetesResource previous, GenericKubernetesResource current) {
                run(current);
            }

            @Override
            public void onDelete(GenericKubernetesResource workflow, boolean finalStateUnknown) {
                // nothing runs it any more
            }
        });
        // like the real controller, keep watching through an API outage
        informer.exceptionHandler((started, error) -> true);
        informer.start();
    }

    /** Workflows given status Succeeded / Failed; last attempts that would have failed but were spared. */
    int succeeded() {
        return succeeded.get();
    }

    int failed() {
        return failed.get();
    }

    int spared() {
        return spared.get();
    }

    /** Status writes the API refused (repeated until accepted). */
    int refusedWrites() {
        return refusedWrites.get();
    }

    /** Workflows seen and not given a status yet. */
    int running() {
        return seen.size() - succeeded.get() - failed.get();
    }

    /** Every Workflow in the namespace, as the API lists it now. */
    List<GenericKubernetesResource> all() {
        return workflows().list().getItems();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        clock.shutdownNow();
        client.close();
    }

    private void run(GenericKubernetesResource workflow) {
        String name = workflow.getMetadata().getName();
        if (workflow.getAdditionalPropertiesNode().has("status") || !seen.add(name)) {
            return;
        }
        Map<String, Object> status = terminalStatus(workflow);
        clock.schedule(() -> write(name, status), random(RUN_MILLIS), TimeUnit.MILLISECONDS);
    }

    private void write(String name, Map<String, Object> status) {
        try {
            workflows()
                    .withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), mapper.writeValueAsString(Map.of("status", status)));
            ("Failed".equals(status.get("phase")) ? failed : succeeded).incrementAndGet();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                seen.remove(name);
                return;
            }
            refusedWrites.incrementAndGet();
            clock.schedule(() -> write(name, status), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What Argo's controller would write once the workflow ended, decided now. */
    private Map<String, Object> terminalStatus(GenericKubernetesResource workflow) {
        StageRequest request = request(workflow);
        String started = Instant.now().toString();
        if (fails(request.attempt())) {
            return Map.of("phase", "Failed", "startedAt", started, "finishedAt", started, "message", FAILED_MESSAGE);
        }
        ObjectNode result =
                mapper.createObjectNode().put("status", "SUCCEEDED").put("message", "done (fake Argo controller)");
        result.set("outputs", InstantOutputs.of(request, plan));
        return Map.of(
                "phase",
                "Succeeded",
                "startedAt",
                started,
                "finishedAt",
                started,
                "outputs",
                Map.of("parameters", List.of(Map.of("name", "result", "value", result.toString()))));
    }

    private synchronized boolean fails(int attempt) {
        if (random.nextDouble() >= failedShare) {
            return false;
        }
        if (attempt >= lastAttempt) {
            spared.incrementAndGet();
            return false;
        }
        return true;
    }

    private synchronized int random(int bound) {
        return random.nextInt(bound);
    }

    /** The stage request Facteur sent, from the workflow's {@code eventBody} parameter (base64 JSON). */
    private StageRequest request(GenericKubernetesResource workflow) {
        try {
            JsonNode json = mapper.readTree(Base64.getDecoder().decode(parameter(workflow, "eventBody")));
            return new StageRequest(
                    json.path("ideaId").asText(),
                    json.path("taskId").textValue(),
                    Stage.fromId(json.path("stage").asText()),
                    json.path("attempt").asInt(),
                    json.path("repo").asText(),
                    json.path("branch").textValue(),
                    json.path("parameters").isObject() ? (ObjectNode) json.get("parameters") : null);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "workflow " + workflow.getMetadata().getName() + " has no readable request", e);
        }
    }

    static String parameter(GenericKubernetesResource workflow, String name) {
        for (JsonNode parameter : workflow.getAdditionalPropertiesNode()
                .path("spec")
                .path("arguments")
                .path("parameters")) {
            if (name.equals(parameter.path("name").asText())) {
                return parameter.path("value").asText();
            }
        }
        return "";
    }

    private NonNamespaceOperation<
                    GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            workflows() {
        return client.genericKubernetesResources(WORKFLOWS).inNamespace(NAMESPACE);
    }
}
