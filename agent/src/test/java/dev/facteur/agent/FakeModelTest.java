package dev.facteur.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facteur.agent.testing.FakeModelServer;
import dev.facteur.agent.testing.FakeModelServer.Reply;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage runner test against the fake model server: each test has its own directory, server and
 * {@link RunnerFixture}; the server answers {@link #unscripted()} until a test scripts it.
 */
abstract class FakeModelTest {

    @TempDir
    Path dir;

    FakeModelServer model;
    RunnerFixture fixture;

    /** What the model answers a request before (or without) a test's own script. */
    abstract Function<JsonNode, Reply> unscripted();

    @BeforeEach
    void startModel() throws Exception {
        model = new FakeModelServer(unscripted());
        fixture = new RunnerFixture(dir, model);
    }

    @AfterEach
    void stopModel() {
        model.close();
    }
}
