package dev.facteur.model.idea;

import java.util.Optional;

/** How urgent an idea is ({@code ideas.priority}). An idea submitted without one is {@link #MEDIUM}. */
public enum Priority implements StoredName {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** The priority an Idea Spec or a person names ({@code high}); empty when it names none. */
    public static Optional<Priority> parse(String value) {
        return StoredName.parse(Priority.class, value);
    }

    /** The priority {@code ideas.priority} holds; fails naming a value none has. */
    public static Priority stored(String value) {
        return StoredName.stored(Priority.class, value, "ideas.priority");
    }
}
