package dev.facteur.processes.intake.codex;

import dev.facteur.processes.intake.InboundRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /codex/tasks}: a CodexTask protobuf body, as the Knative KafkaSource delivers it. */
@RestController
class CodexTaskController {

    private final CodexTasks tasks;

    CodexTaskController(CodexTasks tasks) {
        this.tasks = tasks;
    }

    @PostMapping("/codex/tasks")
    ResponseEntity<Map<String, Object>> accept(HttpServletRequest request) throws IOException {
        return ResponseEntity.accepted().body(tasks.accept(CodexTasks.decode(InboundRequest.body(request))));
    }
}
