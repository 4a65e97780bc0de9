package dev.facteur.processes.outbox;

import dev.facteur.connectors.outbox.OutboxRelay;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code GET /api/outbox?state=dead|pending}: the messages waiting to be sent, or given up on, and why. */
@RestController
@RequestMapping("/api/outbox")
class OutboxController {

    private final OutboxRelay relay;

    OutboxController(OutboxRelay relay) {
        this.relay = relay;
    }

    @GetMapping
    List<Map<String, Object>> list(
            @RequestParam(defaultValue = "pending") String state, @RequestParam(defaultValue = "100") int limit) {
        if (!List.of("pending", "dead").contains(state)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "state must be pending or dead");
        }
        return relay.list(state, Math.max(1, Math.min(limit, 1000)));
    }
}
