package dev.facteur.processes.intake.codex;

import dev.facteur.connectors.proto.froussard.v1.CodexTask;
import dev.facteur.model.idea.IdeaSpec;
import dev.facteur.model.idea.PlainText;
import dev.facteur.processes.intake.IdeaValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The input limits (README, "Input limits") applied to a CodexTask's own fields, named as the protobuf names them.
 * The idea it becomes is validated again as an Idea Spec, like the ideas of every other entrance.
 */
final class CodexTaskLimits {

    /** GitHub caps an issue's title at 256 characters and its body at 65,536. */
    static final int ISSUE_TITLE = 256;

    static final int ISSUE_BODY = 65_536;
    static final int REVIEW_SUMMARY = 4000;

    private static final Pattern REPOSITORY = Pattern.compile(IdeaSpec.REPOSITORY_PATTERN);

    private CodexTaskLimits() {}

    static List<String> problems(CodexTask task) {
        List<String> problems = new ArrayList<>();
        if (task.getRepository().length() > IdeaSpec.REPOSITORY
                || !REPOSITORY.matcher(task.getRepository()).matches()) {
            problems.add("repository must be a GitHub owner/name (at most " + IdeaSpec.REPOSITORY + " characters)");
        }
        if (task.getIssueNumber() < 1 || task.getIssueNumber() > IdeaValidation.MAX_ISSUE_NUMBER) {
            problems.add("issue_number must be between 1 and " + IdeaValidation.MAX_ISSUE_NUMBER);
        }
        text(problems, "prompt", task.getPrompt(), true, IdeaSpec.GOAL);
        text(problems, "issue_title", task.getIssueTitle(), false, ISSUE_TITLE);
        text(problems, "issue_body", task.getIssueBody(), true, ISSUE_BODY);
        for (var field : List.of(
                List.of("delivery_id", task.getDeliveryId()),
                List.of("sender", task.getSender()),
                List.of("issue_url", task.getIssueUrl()),
                List.of("head", task.getHead()),
                List.of("base", task.getBase()))) {
            IdeaValidation.reference(problems, field.get(0), field.get(1));
        }
        if (task.hasReviewContext()) {
            var review = task.getReviewContext();
            text(problems, "review_context.summary", review.getSummary(), true, REVIEW_SUMMARY);
            count(problems, "review_context.review_threads", review.getReviewThreadsCount());
            count(problems, "review_context.failing_checks", review.getFailingChecksCount());
            count(problems, "review_context.additional_notes", review.getAdditionalNotesCount());
            review.getReviewThreadsList()
                    .forEach(thread -> text(
                            problems,
                            "review_context.review_threads.summary",
                            thread.getSummary(),
                            true,
                            IdeaSpec.ITEM));
            review.getFailingChecksList().forEach(check -> {
                IdeaValidation.reference(problems, "review_context.failing_checks.name", check.getName());
                IdeaValidation.reference(problems, "review_context.failing_checks.conclusion", check.getConclusion());
            });
            review.getAdditionalNotesList()
                    .forEach(note -> text(problems, "review_context.additional_notes", note, true, IdeaSpec.ITEM));
        }
        return problems.stream().distinct().toList();
    }

    private static void text(List<String> problems, String field, String value, boolean multiline, int max) {
        String problem = PlainText.Check.problem(value, multiline, max);
        if (problem != null) {
            problems.add(field + " " + problem);
        }
    }

    private static void count(List<String> problems, String field, int count) {
        if (count > IdeaSpec.ITEMS) {
            problems.add(field + " must have at most " + IdeaSpec.ITEMS + " entries (has " + count + ")");
        }
    }
}
