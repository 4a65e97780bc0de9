package dev.facteur.processes.plan.cockpit;

import dev.facteur.processes.plan.PlanPictures;
import org.springframework.stereotype.Component;

/**
 * Hands {@link PlanPictures} to the Cockpit plugin's resources, which Camunda's webapp creates per request
 * outside Spring (one engine application per JVM, so one source).
 */
@Component
class PlanPictureSource {

    private static volatile PlanPictures pictures;

    PlanPictureSource(PlanPictures pictures) {
        PlanPictureSource.pictures = pictures;
    }

    static PlanPictures pictures() {
        PlanPictures current = pictures;
        if (current == null) {
            throw new IllegalStateException("the engine application has not started yet");
        }
        return current;
    }
}
