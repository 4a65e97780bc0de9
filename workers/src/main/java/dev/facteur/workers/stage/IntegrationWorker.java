package dev.facteur.workers.stage;

import dev.facteur.connectors.stage.Stage;

/** {@code codex.integration}: merges the idea branch and tags a release. */
public class IntegrationWorker extends StageWorker {

    public IntegrationWorker(StageSupport support) {
        super(support);
    }

    @Override
    protected Stage stage() {
        return Stage.INTEGRATION;
    }
}
