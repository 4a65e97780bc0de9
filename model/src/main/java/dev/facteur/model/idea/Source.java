package dev.facteur.model.idea;

/**
 * The entrance an idea came through ({@code ideas.source_type}): REST, a GitHub issue (CodexTask ideas too: they live
 * on one) or Discord.
 */
public enum Source implements StoredName {
    API,
    GITHUB,
    DISCORD;

    /** The source {@code ideas.source_type} holds; fails naming a value none has. */
    public static Source stored(String value) {
        return StoredName.stored(Source.class, value, "ideas.source_type");
    }
}
