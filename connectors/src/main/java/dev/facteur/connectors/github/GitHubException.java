package dev.facteur.connectors.github;

/** A GitHub REST call that failed; {@code status} is the HTTP status, 0 when no answer arrived. */
public class GitHubException extends RuntimeException {

    private final int status;

    public GitHubException(int status, String message) {
        super(message);
        this.status = status;
    }

    public GitHubException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Worth retrying: no answer, rate limited, or a server error. */
    public boolean transientFailure() {
        return status == 0 || status == 429 || status == 403 && getMessage().contains("rate limit") || status >= 500;
    }
}
