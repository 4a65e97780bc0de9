package dev.facteur.model.idea;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An enum kept in a column by its constant's name in lower case ({@link #value()}: {@code high}, {@code github}), the
 * name the API and the policy's rules use as well.
 */
public interface StoredName {

    /** The name stored, shown by the API and matched by the policy's rules. */
    default String value() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} a stored or submitted name means; empty when it means none. */
    static <E extends Enum<E> & StoredName> Optional<E> parse(Class<E> type, String value) {
        return Arrays.stream(type.getEnumConstants())
                .filter(constant -> constant.value().equals(value))
                .findFirst();
    }

    /**
     * The constant of {@code type} that {@code column} holds. Fails closed on a value no constant declares, naming it
     * and the column: a row nobody can read must not be handled as if it were known.
     */
    static <E extends Enum<E> & StoredName> E stored(Class<E> type, String value, String column) {
        return parse(type, value)
                .orElseThrow(() -> new IllegalArgumentException("unknown "
                        + type.getSimpleName().toLowerCase(Locale.ROOT) + " '" + value + "' in " + column
                        + ": expected one of "
                        + Arrays.stream(type.getEnumConstants())
                                .map(StoredName::value)
                                .collect(Collectors.joining(", "))));
    }
}
