package dev.facteur.workers.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.argo.ArgoExecutor;
import dev.facteur.connectors.argo.ArgoExecutorSettings;
import dev.facteur.connectors.local.LocalExecutor;
import dev.facteur.connectors.local.LocalExecutorSettings;
import dev.facteur.model.stage.Executor;
import dev.facteur.model.stage.Stage;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/** Chooses the executor stage workloads run on ({@code facteur.executor.type}). */
// an engine whose workers run as their own deployment needs neither workers nor an executor
@ConditionalOnProperty(name = "facteur.workers.enabled", havingValue = "true", matchIfMissing = true)
@Configuration(proxyBeanMethods = false)
public class ExecutorConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ExecutorConfiguration.class);

    /** The stages a coding agent runs (the stage runner); the others are Facteur's own or the deploy command. */
    static final Set<Stage> AGENT_STAGES = EnumSet.of(Stage.PLANNING, Stage.IMPLEMENTATION, Stage.REVIEW);

    /**
     * Each stage runs its configured command. Without one, planning, implementation and review run the stage
     * runner when {@code agent=codex}; anything else left runs the demo agent, which only the laptop and test
     * profiles (or {@code allow-demo}) accept: elsewhere the engine refuses to start rather than pretend.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "facteur.executor.type", havingValue = "local", matchIfMissing = true)
    Executor localExecutor(ExecutorSettings settings, ObjectMapper mapper, Environment environment) {
        ExecutorSettings.Local local = settings.local();
        return new LocalExecutor(
                new LocalExecutorSettings(
                        localExecutorCommands(local, environment),
                        local.workDir(),
                        local.timeout(),
                        local.environment(),
                        mapper),
                local.maxParallel());
    }

    static Map<Stage, List<String>> localExecutorCommands(ExecutorSettings.Local local, Environment environment) {
        LocalExecutorSettings demo = LocalExecutorSettings.demo(local.workDir(), local.timeout(), new ObjectMapper());
        boolean runner = !local.agent().equals("demo");
        if (runner && local.runnerCommand().isEmpty()) {
            throw new IllegalStateException("facteur.executor.local.agent=" + local.agent() + " (FACTEUR_AGENT) needs "
                    + "the stage runner's launcher in facteur.executor.local.runner-command (agent/facteur-agent)");
        }
        Map<Stage, List<String>> commands = new EnumMap<>(Stage.class);
        List<String> demoStages = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            List<String> configured = local.commands().get(stage.id());
            if (configured != null && !configured.isEmpty()) {
                commands.put(stage, configured);
            } else if (runner && AGENT_STAGES.contains(stage)) {
                commands.put(stage, local.runnerCommand());
                log.info("stage {} runs the stage runner: {}", stage.id(), local.runnerCommand());
            } else {
                commands.put(stage, demo.commandFor(stage));
                demoStages.add(stage.id());
            }
        }
        if (demoStages.isEmpty()) {
            return commands;
        }
        if (!local.allowDemo() && !environment.acceptsProfiles(Profiles.of("laptop", "test"))) {
            throw new IllegalStateException("stages " + demoStages + " have no command and would run the DEMO agent "
                    + "(no model, scripted work) on the local executor: set facteur.executor.local.commands.<stage> "
                    + "(the stage runner agent/facteur-agent for planning, implementation and review), or "
                    + "facteur.executor.local.agent=codex with facteur.executor.local.runner-command, or "
                    + "facteur.executor.local.allow-demo=true to run the demo on purpose");
        }
        log.info("stages with no command configured run the demo agent: {}", String.join(", ", demoStages));
        return commands;
    }

    /** Each stage is an Argo Workflow from its WorkflowTemplate; results come from an informer. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "facteur.executor.type", havingValue = "argo")
    Executor argoExecutor(KubernetesClient kubernetes, ExecutorSettings settings, ObjectMapper mapper) {
        ExecutorSettings.Argo argo = settings.argo();
        return new ArgoExecutor(
                kubernetes,
                new ArgoExecutorSettings(
                        argo.namespace(),
                        byStage(argo.templates()),
                        byStage(argo.serviceAccounts()),
                        Map.of(),
                        argo.resync(),
                        mapper,
                        argo.stopTimeout()));
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
