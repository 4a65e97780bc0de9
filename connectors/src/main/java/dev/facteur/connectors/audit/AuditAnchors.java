package dev.facteur.connectors.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Anchors the audit chains outside the database and checks them against their anchors. The hash chain in
 * {@code facteur.events} shows an edit made behind the trigger's back, but whoever owns the database can
 * recompute the chain after rewriting a row, or cut off its newest rows. An anchor (the head of a chain, signed
 * with an HMAC key the database never holds, published to an {@link AnchorSink}) ties each chain to what it was:
 * a head that no longer matches names the chain rewritten, a head that is gone names it truncated.
 */
public class AuditAnchors {

    private static final String HMAC = "HmacSHA256";

    private final NamedParameterJdbcTemplate jdbc;
    private final AnchorSink sink;
    private final byte[] key;
    private final Clock clock;
    private long anchoredUpTo = -1;

    public AuditAnchors(NamedParameterJdbcTemplate jdbc, AnchorSink sink, String key, Clock clock) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("an anchor key is required (facteur.audit.anchor-key)");
        }
        this.jdbc = jdbc;
        this.sink = sink;
        this.key = key.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** Events appended since the last anchor (all of them before the first). */
    public synchronized long pendingEvents() {
        return jdbc.queryForObject(
                "SELECT count(*) FROM facteur.events WHERE id > :last", Map.of("last", lastAnchored()), Long.class);
    }

    /** Signs and publishes the head of every chain that changed since the last anchor; returns how many. */
    public synchronized int anchorChangedChains() {
        long last = lastAnchored();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<AuditAnchor> anchors = jdbc.query(
                """
                SELECT DISTINCT ON (e.idea_id) e.idea_id, e.seq, e.hash, e.id
                FROM facteur.events e
                WHERE e.idea_id IN (SELECT idea_id FROM facteur.events WHERE id > :last)
                ORDER BY e.idea_id, e.seq DESC""",
                Map.of("last", last),
                (rs, i) -> sign(new AuditAnchor(
                        rs.getString("idea_id"), rs.getInt("seq"), rs.getString("hash"), rs.getLong("id"), now, "")));
        if (anchors.isEmpty()) {
            return 0;
        }
        anchors.sort(java.util.Comparator.comparingLong(AuditAnchor::eventId));
        sink.publish(anchors);
        anchoredUpTo = Math.max(last, anchors.get(anchors.size() - 1).eventId());
        return anchors.size();
    }

    /** What the anchors say about the chains: one problem per chain that was rewritten, truncated or forged. */
    public Verification verify() {
        Map<String, AuditAnchor> latest = new LinkedHashMap<>();
        List<ChainProblem> problems = new ArrayList<>();
        List<AuditAnchor> all = sink.readAll();
        for (AuditAnchor anchor : all) {
            if (!signed(anchor)) {
                problems.add(new ChainProblem(
                        anchor.chain(),
                        anchor.seq(),
                        "forged",
                        "an anchor of seq " + anchor.seq() + " does not carry a valid signature"));
            } else {
                latest.merge(anchor.chain(), anchor, (a, b) -> b.seq() >= a.seq() ? b : a);
            }
        }
        for (AuditAnchor anchor : latest.values()) {
            List<String> hashes = jdbc.queryForList(
                    "SELECT hash FROM facteur.events WHERE idea_id = :chain AND seq = :seq",
                    Map.of("chain", anchor.chain(), "seq", anchor.seq()),
                    String.class);
            if (hashes.isEmpty()) {
                Integer end = jdbc.queryForObject(
                        "SELECT max(seq) FROM facteur.events WHERE idea_id = :chain",
                        Map.of("chain", anchor.chain()),
                        Integer.class);
                problems.add(new ChainProblem(
                        anchor.chain(),
                        anchor.seq(),
                        "truncated",
                        "anchored at seq "
                                + anchor.seq() + " on " + anchor.anchoredAt() + ", the database's chain ends at seq "
                                + (end == null ? 0 : end)));
            } else if (!hashes.get(0).equals(anchor.hash())) {
                problems.add(new ChainProblem(
                        anchor.chain(),
                        anchor.seq(),
                        "rewritten",
                        "the hash of seq "
                                + anchor.seq() + " differs from the one anchored on " + anchor.anchoredAt()
                                + ": a row at or before it was changed and the chain recomputed"));
            }
        }
        return new Verification(latest.size(), all.size(), problems);
    }

    /** The anchored chains, the anchors read, and every chain the anchors contradict. */
    public record Verification(int anchoredChains, int anchors, List<ChainProblem> problems) {}

    /** A chain whose anchor the database contradicts: {@code kind} is rewritten, truncated or forged. */
    public record ChainProblem(String chain, int anchoredSeq, String kind, String detail) {}

    private long lastAnchored() {
        if (anchoredUpTo < 0) {
            anchoredUpTo = sink.readAll().stream()
                    .filter(this::signed)
                    .mapToLong(AuditAnchor::eventId)
                    .max()
                    .orElse(0);
        }
        return anchoredUpTo;
    }

    AuditAnchor sign(AuditAnchor anchor) {
        return new AuditAnchor(
                anchor.chain(),
                anchor.seq(),
                anchor.hash(),
                anchor.eventId(),
                anchor.anchoredAt(),
                mac(anchor.signedText()));
    }

    private boolean signed(AuditAnchor anchor) {
        return anchor.signature() != null
                && MessageDigest.isEqual(
                        mac(anchor.signedText()).getBytes(StandardCharsets.UTF_8),
                        anchor.signature().getBytes(StandardCharsets.UTF_8));
    }

    private String mac(String text) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JRE", e);
        }
    }
}
