package dev.facteur.processes.policy;

import java.time.Instant;
import java.util.List;

/**
 * The rules in force and the health of their source.
 *
 * @param source       the file (or classpath resource) the rules come from
 * @param version      SHA-256 of the rules in force
 * @param loadedAt     when they were loaded
 * @param rules        their ids and kinds
 * @param lastProblems the problems of the last failed load (file:line: reason), empty when it succeeded
 * @param failures     failed loads since start-up
 */
public record PolicyStatus(
        String source,
        String version,
        Instant loadedAt,
        List<RuleSummary> rules,
        List<String> lastProblems,
        long failures) {

    public record RuleSummary(String id, String kind, List<String> checkpoints, String description) {}
}
