package dev.facteur.workers.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.argo.ArgoExecutor;
import dev.facteur.connectors.argo.ArgoExecutorSettings;
import dev.facteur.connectors.local.LocalExecutor;
import dev.facteur.connectors.local.LocalExecutorSettings;
import dev.facteur.connectors.stage.Executor;
import dev.facteur.connectors.stage.Stage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses the executor stage workloads run on ({@code facteur.executor.type}). */
// an engine whose workers run as their own deployment needs neither workers nor an executor
@ConditionalOnProperty(name = "facteur.workers.enabled", havingValue = "true", matchIfMissing = true)
@Configuration(proxyBeanMethods = false)
public class ExecutorConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ExecutorConfiguration.class);

    /** Each stage runs its configured command; a stage with none runs the demo agent, and says so. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "facteur.executor.type", havingValue = "local", matchIfMissing = true)
    Executor localExecutor(ExecutorSettings settings, ObjectMapper mapper) {
        ExecutorSettings.Local local = settings.local();
        LocalExecutorSettings demo = LocalExecutorSettings.demo(local.workDir(), local.timeout(), mapper);
        Map<Stage, List<String>> commands = new EnumMap<>(Stage.class);
        List<String> demoStages = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            List<String> configured = local.commands().get(stage.id());
            commands.put(stage, configured != null && !configured.isEmpty() ? configured : demo.commandFor(stage));
            if (configured == null || configured.isEmpty()) {
                demoStages.add(stage.id());
            }
        }
        if (!demoStages.isEmpty()) {
            log.info("stages with no command configured run the demo agent: {}", String.join(", ", demoStages));
        }
        return new LocalExecutor(new LocalExecutorSettings(commands, local.workDir(), local.timeout(),
                local.environment(), mapper), local.maxParallel());
    }

    /** Each stage is an Argo Workflow from its WorkflowTemplate; results come from an informer. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "facteur.executor.type", havingValue = "argo")
    Executor argoExecutor(KubernetesClient kubernetes, ExecutorSettings settings, ObjectMapper mapper) {
        ExecutorSettings.Argo argo = settings.argo();
        return new ArgoExecutor(kubernetes, new ArgoExecutorSettings(argo.namespace(), byStage(argo.templates()),
                byStage(argo.serviceAccounts()), Map.of(), argo.resync(), mapper));
    }

    /** In-cluster credentials or the kubeconfig, as kubectl would find them. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "facteur.executor.type", havingValue = "argo")
    @ConditionalOnMissingBean
    KubernetesClient kubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    private static Map<Stage, String> byStage(Map<String, String> byId) {
        Map<Stage, String> result = new EnumMap<>(Stage.class);
        byId.forEach((id, value) -> result.put(Stage.fromId(id), value));
        return result;
    }
}
