package dev.facteur.processes.approval;

import java.util.Locale;

/** A human's answer at an approval gate. The forms submit them in lower case ({@code request_changes}). */
public enum Decision {
    APPROVE,
    REJECT,
    REQUEST_CHANGES;

    /** {@code approve}, {@code APPROVE}, {@code request-changes}, … ; null or anything else is rejected. */
    public static Decision parse(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("no decision: expected approve, reject or request_changes");
        }
        String text = value.toString()
                .trim()
                .toUpperCase(Locale.ROOT)
                .replace('-', '_')
                .replace(' ', '_');
        try {
            return valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'" + value + "' is not a decision: expected approve, reject or " + "request_changes");
        }
    }

    /** The value the forms and the model's conditions use. */
    public String formValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
