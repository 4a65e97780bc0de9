package dev.facteur.connectors.github;

import java.time.Instant;
import java.util.Optional;

/**
 * A GitHub REST call that failed; {@code status} is the HTTP status, 0 when no answer arrived. A rate-limited
 * answer (403/429 as GitHub documents it) says until when GitHub asks not to call again.
 */
public class GitHubException extends RuntimeException {

    private final int status;
    private final Instant rateLimitedUntil;
    private final boolean unreachable;
    private final String gitHubMessage;

    public GitHubException(int status, String message) {
        this(status, message, null, null, null, status == 0);
    }

    public GitHubException(int status, String message, Throwable cause) {
        this(status, message, null, cause, null, status == 0);
    }

    GitHubException(
            int status,
            String message,
            String gitHubMessage,
            Throwable cause,
            Instant rateLimitedUntil,
            boolean unreachable) {
        super(message, cause);
        this.status = status;
        this.gitHubMessage = gitHubMessage;
        this.rateLimitedUntil = rateLimitedUntil;
        this.unreachable = unreachable;
    }

    /** A 403/429 rate limit: GitHub asks not to call again before {@code until}. */
    public static GitHubException rateLimited(int status, String message, Instant until) {
        return new GitHubException(status, message, message, null, until, false);
    }

    /** The {@code message} of GitHub's JSON error body ("Branch not protected"), or the start of a non-JSON body. */
    public String gitHubMessage() {
        return gitHubMessage == null ? "" : gitHubMessage;
    }

    public int status() {
        return status;
    }

    /** When GitHub allows the next call, if this answer was a primary or secondary rate limit. */
    public Optional<Instant> rateLimitedUntil() {
        return Optional.ofNullable(rateLimitedUntil);
    }

    /** Worth retrying later without counting it against the work: no answer, rate limited, or a server error. */
    public boolean transientFailure() {
        return unreachable || rateLimitedUntil != null || status >= 500;
    }
}
