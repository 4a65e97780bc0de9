package dev.facteur.connectors.audit;

import java.util.List;

/**
 * An append-only place outside PostgreSQL where audit anchors are published: a Kafka topic with infinite
 * retention ({@code KafkaAnchorSink}), or a write-once object store ({@link DirectoryAnchorSink} over a mounted
 * bucket). Whoever owns the database must not be able to change what is here.
 */
public interface AnchorSink {

    /** Publishes the anchors durably, or throws: an anchor not known to be published does not count. */
    void publish(List<AuditAnchor> anchors);

    /** Every anchor ever published, oldest first. */
    List<AuditAnchor> readAll();
}
