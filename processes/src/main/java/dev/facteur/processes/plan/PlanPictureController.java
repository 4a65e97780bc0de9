package dev.facteur.processes.plan;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code GET /api/ideas/<id>/plan.svg}: the plan as a picture, for people (the same as Cockpit's "Plan" tab). */
@RestController
class PlanPictureController {

    private final PlanPictures pictures;

    PlanPictureController(PlanPictures pictures) {
        this.pictures = pictures;
    }

    @GetMapping(value = "/api/ideas/{id}/plan.svg", produces = "image/svg+xml")
    ResponseEntity<String> plan(@PathVariable String id) {
        return ResponseEntity.ok(pictures.svg(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no idea with id " + id)));
    }
}
