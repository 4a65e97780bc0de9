package dev.facteur.processes.lifecycle;

import dev.facteur.model.settings.StagesSettings;
import org.springframework.stereotype.Component;

/** Timer values the models read ({@code ${stageTimers.stuckCheck}}): configuration, not logic. */
@Component("stageTimers")
public class StageTimers {

    private final StagesSettings settings;

    public StageTimers(StagesSettings settings) {
        this.settings = settings;
    }

    /** A repeating check while a stage runs: every {@code stuck-after}, for as long as it runs. */
    public String getStuckCheck() {
        return "R1000/" + settings.stuckAfter();
    }

    public String getRecheck() {
        return settings.recheck().toString();
    }
}
