package dev.facteur.processes.audit;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.audit.*}: anchoring of the audit chains outside PostgreSQL.
 *
 * @param anchorKey       HMAC-SHA256 key the anchors are signed with; kept out of the database (a Secret). Empty:
 *                        no anchoring, and verification says so
 * @param anchorEvery     anchor as soon as this many events were appended since the last anchor
 * @param anchorInterval  and at least this often while any chain changed
 * @param anchorSink      {@code kafka} (a topic with infinite retention) or {@code directory} (a write-once folder,
 *                        e.g. a mounted object-store bucket with object lock)
 * @param anchorTopic     the topic of the {@code kafka} sink
 * @param anchorDirectory the folder of the {@code directory} sink ({@code $TMPDIR/facteur/audit-anchors} when unset)
 */
@ConfigurationProperties("facteur.audit")
public record AuditSettings(
        @DefaultValue("") String anchorKey,
        @DefaultValue("100") int anchorEvery,
        @DefaultValue("PT1M") Duration anchorInterval,
        @DefaultValue("kafka") String anchorSink,
        @DefaultValue("facteur.audit.anchors") String anchorTopic,
        Path anchorDirectory) {

    public AuditSettings {
        anchorDirectory = anchorDirectory != null
                ? anchorDirectory
                : Path.of(System.getProperty("java.io.tmpdir"), "facteur", "audit-anchors");
        if (anchorEvery < 1) {
            throw new IllegalArgumentException("facteur.audit.anchor-every must be at least 1, not " + anchorEvery);
        }
    }

    public boolean anchoring() {
        return !anchorKey.isBlank();
    }
}
