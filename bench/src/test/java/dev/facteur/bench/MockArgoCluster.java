package dev.facteur.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The cluster Argo runs in, as fabric8's mock API server (CRUD mode) behind a {@link FaultInjectingDispatcher}, one
 * per JVM. The application's {@code KubernetesClient} bean (it replaces the production one, which reads the
 * kubeconfig) talks to it with fabric8's default configuration, as production's does: in particular fabric8 repeats
 * a request answered 5xx itself, 10 times with a backoff from 100 ms doubling to 3.2 s (some 20 s in all), before
 * the executor sees the error.
 */
@Configuration(proxyBeanMethods = false)
class MockArgoCluster {

    static final FaultInjectingDispatcher API = new FaultInjectingDispatcher();
    private static final KubernetesMockServer SERVER = started();

    @Bean(destroyMethod = "close")
    KubernetesClient kubernetesClient() {
        return SERVER.createClient();
    }

    /** A client of the test's own (fabric8's retries off: the test repeats what it needs to). */
    static KubernetesClient client(String userAgent) {
        return SERVER.createClient(builder -> builder.editOrNewConfig()
                .withUserAgent(userAgent)
                .withRequestRetryBackoffLimit(0)
                .endConfig());
    }

    static void stop() {
        SERVER.destroy();
    }

    private static KubernetesMockServer started() {
        KubernetesMockServer server =
                new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), API, false);
        server.init();
        return server;
    }

    /**
     * What the cluster's Workflows say about duplicates, read once when first asked (after the scenario): per stage
     * of a task of an idea, how many workflows Succeeded (more than one is a side effect done twice); and the
     * creations answered 409, by idea.
     */
    static WorkflowLedger ledger(Supplier<List<GenericKubernetesResource>> workflows) {
        return new WorkflowLedger() {
            private Map<String, Integer> succeededByStage;

            @Override
            public synchronized int duplicateWorkflows(String ideaId) {
                if (succeededByStage == null) {
                    succeededByStage = succeededByStage(workflows.get());
                }
                return succeededByStage.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(ideaId + "|"))
                        .mapToInt(e -> e.getValue() - 1)
                        .sum();
            }

            @Override
            public int attachments(String ideaId) {
                return API.conflicts(ideaId);
            }
        };
    }

    private static Map<String, Integer> succeededByStage(List<GenericKubernetesResource> workflows) {
        Map<String, Integer> succeeded = new TreeMap<>();
        for (GenericKubernetesResource workflow : workflows) {
            if ("Succeeded"
                    .equals(workflow.getAdditionalPropertiesNode()
                            .path("status")
                            .path("phase")
                            .asText())) {
                succeeded.merge(
                        FakeArgoController.parameter(workflow, "ideaId") + "|"
                                + FakeArgoController.parameter(workflow, "taskId") + "|"
                                + workflow.getMetadata().getLabels().get("codex.stage"),
                        1,
                        Integer::sum);
            }
        }
        return succeeded;
    }
}
