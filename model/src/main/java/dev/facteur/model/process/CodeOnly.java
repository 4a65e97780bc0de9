package dev.facteur.model.process;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link ProcessVariables} declaration that no BPMN model or form reads: the code alone carries it (from a
 * delegate to a worker, from an element template's input to its stage). The vocabulary test accepts it unused by the
 * models; every other declaration must appear in one.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface CodeOnly {

    /** Who writes it and who reads it. */
    String value();
}
