package dev.facteur.model.idea;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Text a person typed, as Facteur accepts it on every entrance: no control characters (NUL cannot even be stored
 * in PostgreSQL's {@code text}), no unpaired surrogates, no bidirectional overrides (which make text read other
 * than it is). Line breaks and tabs only where {@link #multiline()}. Null is valid (other constraints require).
 */
@Documented
@Constraint(validatedBy = PlainText.Check.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface PlainText {

    String message() default "must be plain text";

    boolean multiline() default false;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The rule, and its Bean Validation side: the message names the character and where it is. */
    class Check implements ConstraintValidator<PlainText, String> {

        private boolean multiline;

        @Override
        public void initialize(PlainText annotation) {
            multiline = annotation.multiline();
        }

        /** What is wrong with the text (for "<field> …"), or null when it is plain text of at most {@code maxChars}. */
        public static String problem(String value, boolean multiline, int maxChars) {
            if (value == null) {
                return null;
            }
            if (value.length() > maxChars) {
                return "must be at most " + maxChars + " characters (is " + value.length() + ")";
            }
            for (int i = 0; i < value.length(); ) {
                int codePoint = value.codePointAt(i);
                boolean lineBreakOrTab = codePoint == '\n' || codePoint == '\r' || codePoint == '\t';
                boolean refused = Character.getType(codePoint) == Character.CONTROL && !(multiline && lineBreakOrTab)
                        || Character.getType(codePoint) == Character.SURROGATE
                        || codePoint >= 0x202A && codePoint <= 0x202E
                        || codePoint >= 0x2066 && codePoint <= 0x2069;
                if (refused) {
                    return String.format("must not contain control characters (U+%04X at position %d)", codePoint, i);
                }
                i += Character.charCount(codePoint);
            }
            return null;
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            String problem = problem(value, multiline, Integer.MAX_VALUE);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
            return false;
        }
    }
}
