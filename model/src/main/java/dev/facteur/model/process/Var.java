package dev.facteur.model.process;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Objects;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.engine.delegate.VariableScope;

/**
 * A process variable declared once ({@link ProcessVariables}): its name and its type, read and written the same
 * way by delegates and listeners (an engine {@link VariableScope}), by workers (an {@link ExternalTask} and the
 * map they complete it with) and by tests. In the manner of holunda's camunda-bpm-data.
 *
 * <p>Reads return {@code null} when the variable is absent and convert between the number types the engine and
 * the REST API produce; a value of another type fails with the variable's name, never a bare cast.
 */
public final class Var<T> {

    private final String name;
    private final Class<T> type;

    private Var(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name);
        this.type = Objects.requireNonNull(type);
    }

    public static Var<String> string(String name) {
        return new Var<>(name, String.class);
    }

    public static Var<Boolean> bool(String name) {
        return new Var<>(name, Boolean.class);
    }

    public static Var<Integer> integer(String name) {
        return new Var<>(name, Integer.class);
    }

    public static <T> Var<T> of(String name, Class<T> type) {
        return new Var<>(name, type);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    public T get(VariableScope scope) {
        return value(scope.getVariable(name));
    }

    public T get(VariableScope scope, T absent) {
        T value = get(scope);
        return value == null ? absent : value;
    }

    /**
     * The value as text for an audit payload or a message: {@code "null"} when absent, as these texts have always
     * said (a reader of the audit log tells "not set" from an empty text).
     */
    public String text(VariableScope scope) {
        return String.valueOf(get(scope));
    }

    /** A worker's read (its own name: overloading {@code get} would make workers compile against the engine). */
    public T read(ExternalTask task) {
        return value(task.getVariable(name));
    }

    public T from(Map<String, ?> variables) {
        return value(variables.get(name));
    }

    /**
     * Sets the value; a text, boolean, number or enum equal to the one the variable holds is left alone, since the
     * engine would write the same value again with two history rows and no change anyone can see.
     */
    public void set(VariableScope scope, T value) {
        if (immutable(value) && value.equals(scope.getVariable(name))) {
            return;
        }
        scope.setVariable(name, value);
    }

    private static boolean immutable(Object value) {
        return value instanceof String || value instanceof Boolean || value instanceof Number || value instanceof Enum;
    }

    public void setLocal(VariableScope scope, T value) {
        scope.setVariableLocal(name, value);
    }

    /** Adds this variable to the variables a worker completes its task with. */
    public void put(Map<String, Object> variables, T value) {
        variables.put(name, value);
    }

    /** An entry of the variables a completion carries, for {@code Map.ofEntries(...)}. */
    public Map.Entry<String, Object> to(T value) {
        return new AbstractMap.SimpleImmutableEntry<>(name, value);
    }

    /** The value as this variable's type: absent is {@code null}, numbers convert, anything else fails. */
    public T value(Object raw) {
        if (raw == null || type.isInstance(raw)) {
            return type.cast(raw);
        }
        if (raw instanceof Number number) {
            if (type == Integer.class) {
                return type.cast(Math.toIntExact(number.longValue()));
            }
            if (type == Long.class) {
                return type.cast(number.longValue());
            }
        }
        throw new IllegalStateException("process variable " + name + " holds a "
                + raw.getClass().getSimpleName() + ", not a " + type.getSimpleName());
    }

    @Override
    public String toString() {
        return name;
    }
}
