package dev.facteur.processes.intake.codex;

import dev.facteur.connectors.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Consumes Froussard's {@code github.issues.codex.tasks}; undecodable or invalid tasks go to its DLT. */
@Component
class CodexTaskConsumer {

    private final CodexTasks tasks;

    CodexTaskConsumer(CodexTasks tasks) {
        this.tasks = tasks;
    }

    @KafkaListener(
            id = "codex-tasks",
            topics = Topics.CODEX_TASKS,
            groupId = "${facteur.kafka.consumer-group:facteur-intake}")
    void consume(ConsumerRecord<String, byte[]> record) {
        tasks.accept(CodexTasks.decode(record.value()));
    }
}
