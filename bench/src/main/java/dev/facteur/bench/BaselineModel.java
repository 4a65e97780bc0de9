package dev.facteur.bench;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.StandaloneProcessEngineConfiguration;

/**
 * A model the suite's bare engine runs ({@link SuiteBenchmark}): what it deploys, how an idea starts and what the
 * in-process client answers for each external-task topic. Nothing of Facteur's own work runs in it.
 */
interface BaselineModel {

    /** How the report names it. */
    String label();

    /** The process an idea starts; its instances with this key, finished, are the ideas done. */
    String processKey();

    /** Anything the model's expressions need before the engine is built (beans for delegate expressions). */
    default void configure(StandaloneProcessEngineConfiguration configuration) {}

    void deploy(ProcessEngine engine);

    /** Starts one idea, {@code ideaId} its business key, whose plan has {@code tasks} tasks. */
    void start(ProcessEngine engine, String ideaId, List<String> tasks);

    /** The topics the client fetches: those of the lifecycle's happy path. */
    default List<String> topics() {
        return List.of(
                "codex.planning",
                "codex.implementation",
                "codex.review",
                "codex.integration",
                "codex.deploy",
                "deploy.monitor");
    }

    /** The variables a completion of {@code topic} sets: those the model's gateways read, nothing else. */
    Map<String, Object> completion(String topic);
}
