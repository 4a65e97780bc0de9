package dev.facteur.connectors.llm;

import java.util.List;

/** Turns a free-form idea (a Discord message, say) into the Idea Spec's fields. */
public interface IdeaSummariser {

    Summary summarise(String text);

    /** The fields found; an empty list or blank string means "not found", never invented. */
    record Summary(String title, String goal, List<String> constraints, List<String> successMetrics) {}
}
