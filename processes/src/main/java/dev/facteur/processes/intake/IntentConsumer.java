package dev.facteur.processes.intake;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.facteur.connectors.kafka.Topics;
import dev.facteur.connectors.proto.intake.v1.IdeaEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Consumes {@code codex.intent}: each IdeaEvent starts its idea's lifecycle once. */
@Component
class IntentConsumer {

    private final IntakeService intake;

    IntentConsumer(IntakeService intake) {
        this.intake = intake;
    }

    @KafkaListener(
            id = "codex-intent",
            topics = Topics.CODEX_INTENT,
            groupId = "${facteur.kafka.consumer-group:facteur-intake}")
    void consume(ConsumerRecord<String, byte[]> record) throws InvalidProtocolBufferException {
        if (record.value() == null || record.value().length == 0) {
            throw new IntakeRejected("empty IdeaEvent");
        }
        intake.start(IdeaEvent.parseFrom(record.value()));
    }
}
