package dev.facteur.processes.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/runbooks: every operation the chart's users need has a runbook with commands, the index lists
 * them all, their links resolve, and every chart value they set with --set exists.
 */
class RunbooksTest {

    private static final Path RUNBOOKS = Chart.ROOT.resolve("docs/runbooks");
    private static final List<String> NAMES = List.of(
            "install",
            "upgrade",
            "rollback",
            "rotate-secrets",
            "drain-workers",
            "stuck-idea",
            "kafka-outage",
            "argo-outage",
            "codex-docker",
            "policy");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#:]+\\.md)(#[^)]*)?\\)");
    private static final Pattern SET = Pattern.compile("--set ([A-Za-z][\\w.-]*)=");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "install",
                "upgrade",
                "rollback",
                "rotate-secrets",
                "drain-workers",
                "stuck-idea",
                "kafka-outage",
                "argo-outage",
                "codex-docker",
                "policy"
            })
    void eachRunbookHasATitleCommandsAndLinksThatResolve(String name) {
        Path file = RUNBOOKS.resolve(name + ".md");
        String text = Chart.read(file);

        assertThat(text).startsWith("# ").contains("```sh").containsPattern("(kubectl|helm|psql|curl|argo) ");
        Matcher link = LINK.matcher(text);
        while (link.find()) {
            assertThat(file.getParent().resolve(link.group(1)).normalize())
                    .as("link %s in %s", link.group(1), name)
                    .exists();
        }
        Map<String, Object> values = Chart.values();
        Matcher set = SET.matcher(text);
        while (set.find()) {
            assertThat(Chart.at(values, set.group(1)))
                    .as("--set %s in %s", set.group(1), name)
                    .isNotNull();
        }
    }

    @Test
    void theIndexListsEveryRunbook() {
        String index = Chart.read(RUNBOOKS.resolve("README.md"));

        NAMES.forEach(name -> assertThat(index).contains("(" + name + ".md)"));
        assertThat(Files.exists(Chart.DIR.resolve("README.md"))).isTrue();
    }

    @Test
    void theUpgradeStopsWorkersBacksUpUpgradesCamundaThenTheEngineThenTheWorkers() {
        String upgrade = Chart.read(RUNBOOKS.resolve("upgrade.md"));
        List<String> steps = List.of(
                "## 1. Stop the workers",
                "## 2. Back up the database",
                "## 3. Upgrade Camunda's tables",
                "## 4. The new engine (Flyway)",
                "## 5. The new workers");

        int previous = -1;
        for (String step : steps) {
            int at = upgrade.indexOf(step);
            assertThat(at).as(step).isGreaterThan(previous);
            previous = at;
        }
        assertThat(upgrade)
                .contains(
                        "org/camunda/bpm/engine/db/upgrade/postgres_engine_7.",
                        "pg_dump",
                        "flyway_schema_history",
                        "act_ge_schema_log",
                        "camundaSchemaUpdate=false");
    }

    @Test
    void theDockerInDockerValidationRecordsVersionHelloWorldAndABuild() {
        String validation = Chart.read(RUNBOOKS.resolve("codex-docker.md"));

        assertThat(validation)
                .contains(
                        "docker version",
                        "docker run --rm hello-world",
                        "docker build",
                        "codex-docker-policy",
                        "dockerd-rootless.sh",
                        "DOCKER_HOST=tcp://localhost:2375");
    }

    @Test
    void recoveringAStuckIdeaGoesThroughCockpitIncidents() {
        String stuck = Chart.read(RUNBOOKS.resolve("stuck-idea.md"));

        assertThat(stuck)
                .contains(
                        "Cockpit",
                        "Increment Number of Retries",
                        "/engine-rest/external-task/",
                        "facteur.runs",
                        "/resume",
                        "/cancel");
    }
}
