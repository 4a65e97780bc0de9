package dev.facteur.processes.ideas;

import dev.facteur.connectors.proto.intake.v1.IdeaSource;
import dev.facteur.model.idea.IdeaSpec;
import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.RunStore;
import dev.facteur.model.store.TaskStore;
import dev.facteur.processes.commands.Actor;
import dev.facteur.processes.commands.IdeaCommand;
import dev.facteur.processes.commands.IdeaCommands;
import dev.facteur.processes.commands.IdeaOverrides;
import dev.facteur.processes.intake.IdeaEvents;
import dev.facteur.processes.intake.IntakeService;
import dev.facteur.processes.security.ApiAuthenticationFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code /api/ideas}: submit ideas, follow them, and pause, resume or cancel them. */
@RestController
@RequestMapping("/api/ideas")
class IdeaController {

    private final IdeaCommands commands;
    private final IdeaStore ideas;
    private final TaskStore tasks;
    private final RunStore runs;
    private final IntakeService intake;
    private final EventLog events;

    IdeaController(
            IdeaCommands commands,
            IntakeService intake,
            IdeaStore ideas,
            TaskStore tasks,
            RunStore runs,
            EventLog events) {
        this.commands = commands;
        this.intake = intake;
        this.ideas = ideas;
        this.tasks = tasks;
        this.runs = runs;
        this.events = events;
    }

    @PostMapping
    ResponseEntity<Map<String, String>> submit(@Valid @RequestBody IdeaSpec spec, HttpServletRequest request) {
        String id = IdeaEvents.newIdeaId();
        intake.submit(
                IdeaEvents.of(
                        id,
                        IdeaSource.IDEA_SOURCE_API,
                        id,
                        spec,
                        Actor.api(user(request)).auditName(),
                        "api:" + id,
                        Instant.now()),
                null);
        return ResponseEntity.created(URI.create("/api/ideas/" + id))
                .body(Map.of("id", id, "status", "/api/ideas/" + id));
    }

    @GetMapping("/{id}")
    IdeaView get(@PathVariable String id) {
        var idea = ideas.find(id).orElseThrow(() -> new IdeaOverrides.IdeaNotFound(id));
        return IdeaView.of(idea, tasks.list(id), runs.list(id), events.list(id));
    }

    @GetMapping
    List<IdeaView.Summary> list(
            @RequestParam(required = false) String state, @RequestParam(defaultValue = "100") int limit) {
        // an unknown state is a mistake to point out, not a filter that quietly matches nothing
        LifecycleState wanted = state == null
                ? null
                : LifecycleState.parse(state)
                        .orElseThrow(() -> new ResponseStatusException(
                                HttpStatus.BAD_REQUEST,
                                "state must be a lifecycle state such as Planning or Completed"));
        return ideas.list(wanted, Math.max(1, Math.min(limit, 1000))).stream()
                .map(IdeaView.Summary::of)
                .toList();
    }

    @PostMapping("/{id}/pause")
    ResponseEntity<Void> pause(@PathVariable String id, HttpServletRequest request) {
        return override(() -> commands.run(IdeaCommand.pause(id, Actor.api(user(request)))));
    }

    @PostMapping("/{id}/resume")
    ResponseEntity<Void> resume(@PathVariable String id, HttpServletRequest request) {
        return override(() -> commands.run(IdeaCommand.resume(id, Actor.api(user(request)))));
    }

    @PostMapping("/{id}/cancel")
    ResponseEntity<Void> cancel(@PathVariable String id, HttpServletRequest request) {
        return override(() -> commands.run(IdeaCommand.cancel(id, Actor.api(user(request)))));
    }

    /**
     * An override races with the idea's own steps (a stage result, a task ending): when the engine or the
     * database refuses it for that (an optimistic-locking conflict, a deadlock victim), it is tried again in a
     * new transaction; after three attempts the answer is 503 with Retry-After (ApiProblems).
     */
    private static ResponseEntity<Void> override(Runnable change) {
        for (int attempt = 1; ; attempt++) {
            try {
                change.run();
                return ResponseEntity.accepted().build();
            } catch (ConcurrencyFailureException | OptimisticLockingException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static String user(HttpServletRequest request) {
        Object user = request.getAttribute(ApiAuthenticationFilter.USER_ATTRIBUTE);
        return user == null ? null : user.toString();
    }
}
