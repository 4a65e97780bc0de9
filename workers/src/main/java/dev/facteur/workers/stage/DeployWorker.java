package dev.facteur.workers.stage;

import dev.facteur.connectors.stage.Stage;

/** {@code codex.deploy}: runs the configured deploy command for the release. */
public class DeployWorker extends StageWorker {

    public DeployWorker(StageSupport support) {
        super(support);
    }

    @Override
    protected Stage stage() {
        return Stage.DEPLOY;
    }
}
