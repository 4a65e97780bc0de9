package dev.facteur.workers.stage;

import dev.facteur.connectors.stage.Stage;

/** {@code codex.review}: runs the repository's quality gates on the idea branch. */
public class ReviewWorker extends StageWorker {

    public ReviewWorker(StageSupport support) {
        super(support);
    }

    @Override
    protected Stage stage() {
        return Stage.REVIEW;
    }
}
