package dev.facteur.model.idea;

import java.time.OffsetDateTime;
import java.util.function.Consumer;

/**
 * An idea as the store returns it, for tests of what reads one (forms, policy inputs, workers): every field has a
 * plain default, a test sets the ones it is about ({@code TestIdeas.idea("i", idea -> idea.title = "x")}). Shared by
 * the modules' tests through facteur-model's test jar.
 */
public final class TestIdeas {

    public String id;
    public Source source = Source.API;
    public String sourceRef = "ref";
    public String title = "Title";
    public Priority priority = Priority.HIGH;
    public LifecycleState status = LifecycleState.PLAN_READY;
    public String riskFlagsJson = "[]";
    public String payloadJson = "{}";
    public String repository = "acme/shop";
    public String initiator = "user:ada";
    public String processInstanceId;
    public String planJson;

    private TestIdeas(String id) {
        this.id = id;
    }

    /** An API idea {@code id}, high priority, awaiting plan approval in {@code acme/shop}, without a plan. */
    public static Idea idea(String id) {
        return idea(id, fields -> {});
    }

    /** As {@link #idea(String)}, with the fields {@code changes} sets. */
    public static Idea idea(String id, Consumer<TestIdeas> changes) {
        TestIdeas fields = new TestIdeas(id);
        changes.accept(fields);
        OffsetDateTime now = OffsetDateTime.now();
        return new Idea(
                fields.id,
                fields.source,
                fields.sourceRef,
                fields.title,
                fields.priority,
                fields.status,
                fields.riskFlagsJson,
                fields.payloadJson,
                fields.repository,
                fields.initiator,
                fields.processInstanceId,
                now,
                now,
                false,
                fields.planJson);
    }
}
