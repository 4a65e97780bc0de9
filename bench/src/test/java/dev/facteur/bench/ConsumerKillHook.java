package dev.facteur.bench;

import dev.facteur.connectors.kafka.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * An extra source of a child engine (scenario 8): the listener container's record interceptor (Spring Boot sets a
 * {@link RecordInterceptor} bean on its container factory) halts the JVM, as a kill would, right after the
 * {@value #AFTER}-th {@code codex.intent} record was processed, that is after {@code IntakeService.start} committed
 * its transaction, and before the container commits the poll's offsets (ack-mode batch commits after the whole
 * poll). It first writes the record's idea id, partition and offset to the file {@value #MARKER}, for the test to
 * check that the lifecycle really started and that the offset was not committed.
 */
@Configuration(proxyBeanMethods = false)
class ConsumerKillHook {

    static final String AFTER = "chaos.kill-after-intake";
    static final String MARKER = "chaos.kill-marker";

    @Bean
    RecordInterceptor<Object, Object> killAfterIntake() {
        int after = Integer.getInteger(AFTER, Integer.MAX_VALUE);
        Path marker = Path.of(System.getProperty(MARKER, "kill-marker.txt"));
        AtomicInteger processed = new AtomicInteger();
        return new RecordInterceptor<>() {
            @Override
            public ConsumerRecord<Object, Object> intercept(
                    ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
                return record;
            }

            @Override
            public void success(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
                if (Topics.CODEX_INTENT.equals(record.topic()) && processed.incrementAndGet() == after) {
                    try {
                        Files.writeString(
                                marker,
                                record.key() + " " + record.partition() + " " + record.offset(),
                                StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    Runtime.getRuntime().halt(137);
                }
            }
        };
    }
}
