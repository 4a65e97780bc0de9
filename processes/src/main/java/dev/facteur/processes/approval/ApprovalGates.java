package dev.facteur.processes.approval;

import dev.facteur.connectors.text.MarkdownText;
import dev.facteur.model.idea.Priority;
import dev.facteur.model.process.IdeaLifecycle.Element;
import java.util.Arrays;
import java.util.Optional;

/** The approval gates of {@code idea-lifecycle}: user task id, gate name, and Camunda Form id. */
public enum ApprovalGates {
    PLAN(Element.UserTask_ApprovePlan.name(), "plan", "approve-plan", "Approve plan"),
    MERGE(Element.UserTask_ApproveMerge.name(), "merge", "approve-merge", "Approve merge"),
    DEPLOY(Element.UserTask_ApproveDeploy.name(), "deploy", "approve-deploy", "Approve deploy");

    /**
     * The longest comment on a decision, on every channel: with the words around it ("changes requested by …")
     * it stays a Camunda string variable ({@code varchar(4000)}) for the stage that acts on it.
     */
    public static final int MAX_COMMENT_CHARS = 3000;

    /** The most of an idea's title a gate's form or notice shows. */
    public static final int TITLE_CHARS = 300;

    /**
     * The Tasklist plugin serving the plan picture the plan-approval form shows ({@code plan.cockpit} serves it at
     * {@link #planPicturePath}): the form's contract, kept with the form so that approval needs nothing of the plugin.
     */
    public static final String PLAN_PICTURE_PLUGIN = "facteur-plan";

    /**
     * The path the plan-approval form's image points at (below the webapp's application path), the idea's id
     * percent-encoded: the form places it in a Markdown image, which nothing in an id may end or redirect.
     */
    public static String planPicturePath(String applicationPath, String ideaId) {
        return applicationPath.replaceAll("/+$", "") + "/api/tasklist/plugin/" + PLAN_PICTURE_PLUGIN + "/default/idea/"
                + MarkdownText.pathSegment(ideaId) + "/plan.svg";
    }

    private final String taskId;
    private final String gate;
    private final String formId;
    private final String action;

    ApprovalGates(String taskId, String gate, String formId, String action) {
        this.taskId = taskId;
        this.gate = gate;
        this.formId = formId;
        this.action = action;
    }

    /** What Tasklist lists, so that ten open gates read apart: {@code Approve plan: <idea title>}. */
    public String taskName(String ideaTitle) {
        String name = action + ": " + (ideaTitle == null || ideaTitle.isBlank() ? "untitled idea" : ideaTitle.strip());
        return name.length() <= 255 ? name : name.substring(0, 254) + "…";
    }

    /** Camunda's task priority (default 50) from the idea's: low 25, medium 50, high 75, critical 100. */
    public static int taskPriority(Priority ideaPriority) {
        return switch (ideaPriority) {
            case LOW -> 25;
            case MEDIUM -> 50;
            case HIGH -> 75;
            case CRITICAL -> 100;
        };
    }

    public String taskId() {
        return taskId;
    }

    public String gate() {
        return gate;
    }

    public String formId() {
        return formId;
    }

    public static String[] taskIds() {
        return Arrays.stream(values()).map(ApprovalGates::taskId).toArray(String[]::new);
    }

    public static Optional<ApprovalGates> ofTask(String taskDefinitionKey) {
        return Arrays.stream(values())
                .filter(g -> g.taskId.equals(taskDefinitionKey))
                .findFirst();
    }
}
