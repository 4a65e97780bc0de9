package dev.facteur.workers.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facteur.model.stage.Stage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class LocalExecutorCommandsTest {

    static final List<String> RUNNER = List.of("/opt/facteur/facteur-agent");

    static ExecutorSettings.Local local(
            Map<String, List<String>> commands, String agent, List<String> runner, boolean allowDemo) {
        return new ExecutorSettings.Local(
                Path.of("/tmp/runs"), Duration.ofMinutes(5), 2, commands, Map.of(), agent, runner, allowDemo);
    }

    static MockEnvironment profiles(String... profiles) {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles(profiles);
        return environment;
    }

    @Test
    void outsideLaptopAndTestTheEngineRefusesToStartWhileAStageWouldRunTheDemoAgent() {
        var local = local(Map.of("planning", List.of("plan.sh")), "demo", List.of(), false);
        assertThatThrownBy(() -> ExecutorConfiguration.localExecutorCommands(local, profiles("prod")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[implementation, review, integration, deploy, monitor, custom] have no command")
                .hasMessageContaining("facteur.executor.local.allow-demo=true");
    }

    @Test
    void allowDemoRunsTheDemoOnPurpose() {
        var commands =
                ExecutorConfiguration.localExecutorCommands(local(Map.of(), "demo", List.of(), true), profiles("prod"));
        assertThat(commands.get(Stage.REVIEW))
                .anySatisfy(part -> assertThat(part).endsWith("DemoAgent"));
    }

    @Test
    void laptopModeKeepsTheDemoAgentByDefault() {
        var commands = ExecutorConfiguration.localExecutorCommands(
                local(Map.of(), "demo", List.of(), false), profiles("laptop"));
        assertThat(commands.get(Stage.PLANNING))
                .anySatisfy(part -> assertThat(part).endsWith("DemoAgent"));
    }

    @Test
    void theCodexAgentRunsTheStageRunnerForPlanningImplementationAndReview() {
        var commands = ExecutorConfiguration.localExecutorCommands(
                local(Map.of(), "codex", RUNNER, false), profiles("laptop"));
        assertThat(commands.get(Stage.PLANNING)).isEqualTo(RUNNER);
        assertThat(commands.get(Stage.IMPLEMENTATION)).isEqualTo(RUNNER);
        assertThat(commands.get(Stage.REVIEW)).isEqualTo(RUNNER);
        assertThat(commands.get(Stage.DEPLOY))
                .anySatisfy(part -> assertThat(part).endsWith("DemoAgent"));
    }

    @Test
    void theCodexAgentWithoutARunnerCommandIsRefused() {
        assertThatThrownBy(() -> ExecutorConfiguration.localExecutorCommands(
                        local(Map.of(), "codex", List.of(), false), profiles("laptop")))
                .hasMessageContaining("facteur.executor.local.runner-command");
    }

    @Test
    void everyStageWithACommandStartsInAnyProfile() {
        Map<String, List<String>> all = new java.util.LinkedHashMap<>();
        for (Stage stage : Stage.values()) {
            all.put(stage.id(), List.of(stage.id() + ".sh"));
        }
        var commands =
                ExecutorConfiguration.localExecutorCommands(local(all, "demo", List.of(), false), profiles("prod"));
        assertThat(commands.get(Stage.MONITOR)).containsExactly("monitor.sh");
    }

    @Test
    void anUnknownAgentIsNamed() {
        assertThatThrownBy(() -> local(Map.of(), "claude", List.of(), false))
                .hasMessageContaining("facteur.executor.local.agent is 'claude': use demo, codex or command");
    }
}
