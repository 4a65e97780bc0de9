package dev.facteur.connectors.audit;

import java.time.Instant;

/**
 * The head of one audit chain at one moment, signed with a key the database does not hold: {@code seq} and
 * {@code hash} of the chain's last row, the row's id, when it was anchored, and the HMAC-SHA256 over all of it.
 * Published outside PostgreSQL, it lets a verifier tell a chain that was rewritten (and recomputed) or truncated
 * after it was anchored.
 */
public record AuditAnchor(String chain, int seq, String hash, long eventId, Instant anchoredAt, String signature) {

    /** What the signature covers, in a form no field can spill into the next. */
    String signedText() {
        return chain.length() + ":" + chain + "|" + seq + "|" + hash + "|" + eventId + "|" + anchoredAt;
    }
}
