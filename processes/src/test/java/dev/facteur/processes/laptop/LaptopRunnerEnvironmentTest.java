package dev.facteur.processes.laptop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facteur.agent.RunnerSettings;
import dev.facteur.workers.config.ExecutorSettings;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * {@code FACTEUR_AGENT=codex FACTEUR_MODEL_API_KEY=… ./facteur-laptop}: a stage process inherits none of the
 * engine's environment, so laptop mode must hand the stage runner every variable of its configuration
 * ({@link RunnerSettings}) that the engine was started with. Without it every planning attempt failed with
 * "no model provider key" although the key was set.
 */
class LaptopRunnerEnvironmentTest {

    @Test
    void laptopModeHandsTheStageRunnerEveryRunnerVariableTheEngineWasStartedWith() throws Exception {
        List<String> variables = runnerVariables();
        Map<String, Object> started = new java.util.HashMap<>();
        variables.forEach(name -> started.put(name, "set-" + name));
        started.put(RunnerSettings.AGENT, "codex");

        Map<String, String> stageEnvironment = laptop(started).local().environment();

        assertThat(variables)
                .contains(
                        RunnerSettings.MODEL_API_KEY,
                        RunnerSettings.MODEL_BASE_URL,
                        RunnerSettings.CODEX_BIN,
                        RunnerSettings.GIT_REMOTE,
                        RunnerSettings.AGENT);
        for (String name : variables) {
            assertThat(stageEnvironment).as(name).containsEntry(name, (String) started.get(name));
        }
    }

    @Test
    void unsetVariablesStayBlankSoTheRunnerUsesItsDefaultsAndItsTimeoutEndsBeforeTheExecutors() throws Exception {
        ExecutorSettings settings = laptop(Map.of("FACTEUR_AGENT", "codex"));

        assertThat(settings.local().agent()).isEqualTo("codex");
        assertThat(settings.local().environment())
                .containsEntry(RunnerSettings.MODEL_API_KEY, "")
                .containsEntry(RunnerSettings.AGENT, "codex");
        RunnerSettings runner = RunnerSettings.from(settings.local().environment());
        assertThat(runner.baseUrl()).isEqualTo(RunnerSettings.DEFAULT_BASE_URL);
        assertThat(runner.timeout()).isLessThan(settings.local().timeout());
    }

    /** facteur.executor as application-laptop.yaml binds it, with these environment variables set. */
    private static ExecutorSettings laptop(Map<String, Object> environmentVariables) throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("started-with", environmentVariables));
        new YamlPropertySourceLoader()
                .load("laptop", new ClassPathResource("application-laptop.yaml"))
                .forEach(source -> environment.getPropertySources().addLast(source));
        return Binder.get(environment).bindOrCreate("facteur.executor", ExecutorSettings.class);
    }

    /** The runner's FACTEUR_* configuration variables, as RunnerSettings names them. */
    private static List<String> runnerVariables() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Field field : RunnerSettings.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    && field.getType() == String.class
                    && field.get(null) instanceof String value
                    && value.startsWith("FACTEUR_")) {
                names.add(value);
            }
        }
        return names;
    }
}
