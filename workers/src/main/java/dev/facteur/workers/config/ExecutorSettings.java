package dev.facteur.workers.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.executor.*}: where stage workloads run.
 *
 * @param type  {@code local} runs each stage as a process on this machine; {@code argo} as an Argo Workflow
 * @param local the local executor: a command per stage id; stages without one run the demo agent
 * @param argo  the Argo executor: namespace and WorkflowTemplate per stage id
 */
@ConfigurationProperties("facteur.executor")
public record ExecutorSettings(
        @DefaultValue("local") String type,
        @DefaultValue Local local,
        @DefaultValue Argo argo) {

    /**
     * @param namespace       where Workflows and their WorkflowTemplates live
     * @param templates       stage id to WorkflowTemplate name; default {@code github-codex-<stage>}
     * @param serviceAccounts stage id to ServiceAccount, overriding the template's own
     * @param resync          informer resync period (zero: events only)
     * @param stopTimeout     how long a stopped workflow may take to turn terminal before its attempt is LOST
     */
    public record Argo(
            @DefaultValue("argo-workflows") String namespace,
            Map<String, String> templates,
            Map<String, String> serviceAccounts,
            @DefaultValue("PT5M") Duration resync,
            @DefaultValue("PT2M") Duration stopTimeout) {

        public Argo {
            templates = templates == null ? Map.of() : Map.copyOf(templates);
            serviceAccounts = serviceAccounts == null ? Map.of() : Map.copyOf(serviceAccounts);
        }
    }

    /**
     * @param workDir     where request and result files of each run are kept
     * @param timeout     a run still going after this is stopped and fails
     * @param commands    stage id ({@code planning}, {@code implementation}, …) to command and arguments
     * @param environment environment variables of every stage command, besides the few it inherits
     *                    (the only way a secret reaches a stage)
     * @param maxParallel stage processes running at once on this machine; more wait for a free one
     * @param agent       what runs planning, implementation and review when they have no command:
     *                    {@code demo} (the scripted demo agent), or {@code codex} / {@code command} (the
     *                    stage runner, {@code runnerCommand}, with that agent profile: {@code FACTEUR_AGENT})
     * @param runnerCommand the stage runner's launcher ({@code agent/facteur-agent}) and arguments
     * @param allowDemo   whether a stage without a command may run the demo agent outside the
     *                    {@code laptop} and {@code test} profiles; otherwise the engine refuses to start
     */
    public record Local(
            Path workDir,
            @DefaultValue("PT30M") Duration timeout,
            @DefaultValue("8") int maxParallel,
            Map<String, List<String>> commands,
            Map<String, String> environment,
            @DefaultValue("demo") String agent,
            List<String> runnerCommand,
            @DefaultValue("false") boolean allowDemo) {

        public Local {
            commands = commands == null ? Map.of() : Map.copyOf(commands);
            environment = environment == null ? Map.of() : Map.copyOf(environment);
            runnerCommand = runnerCommand == null ? List.of() : List.copyOf(runnerCommand);
            if (!agent.equals("demo") && !agent.equals("codex") && !agent.equals("command")) {
                throw new IllegalArgumentException(
                        "facteur.executor.local.agent is '" + agent + "': use demo, codex or command");
            }
        }
    }
}
