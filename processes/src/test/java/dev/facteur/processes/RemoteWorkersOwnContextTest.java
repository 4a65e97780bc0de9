package dev.facteur.processes;

import dev.facteur.workers.app.WorkersApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;

/**
 * The production topology: an engine with no in-process workers, and the workers deployment
 * ({@link WorkersApplication}) as a separate application reaching it over REST with its service
 * account. Until the workers start, nothing moves.
 */
@TestPropertySource(
        properties = {
            "facteur.local-database.name=facteur_test_remote",
            "facteur.workers.enabled=false",
            "facteur.workers.password=remote-workers-secret"
        })
class RemoteWorkersOwnContextTest extends EngineTest {

    @LocalServerPort
    int port;

    @Autowired
    Environment engine;

    @Test
    void theWorkersDeploymentDrivesAnIdeaOnARemoteEngine() throws Exception {
        String id = submit(spec("Remote workers", repo("demo")));
        eventually().until(() -> state(id).equals("Planning"));
        // no worker in the engine: the planning stage waits, unstarted
        Awaitility.await()
                .during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> idea(id).get("runs").isEmpty());

        try (ConfigurableApplicationContext workers = new SpringApplicationBuilder(WorkersApplication.class)
                .profiles("workers")
                .run(workerArguments())) {
            eventually().until(() -> state(id).equals("Completed"));
        }
    }

    private String[] workerArguments() {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + engine.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + engine.getProperty("spring.datasource.username"),
                "--spring.datasource.password=" + engine.getProperty("spring.datasource.password"),
                "--facteur.workers.engine-url=http://127.0.0.1:" + port + "/engine-rest",
                "--facteur.workers.password=remote-workers-secret",
                "--facteur.workers.async-response-timeout=PT2S",
                "--facteur.executor.type=local",
                "--facteur.executor.local.work-dir="
                        + Path.of("target/facteur-test/remote-runs").toAbsolutePath(),
                "--facteur.executor.local.environment.FACTEUR_TEST_FLAGS=" + FLAGS,
                "--facteur.stages.default-parameters.workspace="
                        + Path.of("target/facteur-test/workspace").toAbsolutePath()));
        testAgentCommands().forEach((key, value) -> args.add("--" + key + "=" + value));
        return args.toArray(String[]::new);
    }
}
