package dev.facteur.connectors.kb;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * How a past idea ended, for the planner, read from its history when asked (so it follows the idea as it
 * later merges, is rolled back or remediated): {@code reverted} (its latest deploy record is a rollback: its
 * change is not live), {@code remediated} (monitoring saw a regression, a remediation cycle was opened, and
 * what runs now was deployed after it), {@code merged} (its branch was integrated), otherwise its lifecycle
 * state (Rejected, Cancelled, RunningTasks, …); with its title and links (the engine's API, the GitHub issue
 * it came from, its pull request and merge commit). A regression is usually rolled back before its
 * remediation: the rollback reads {@code reverted} until the fix is deployed.
 */
public class IdeaOutcomes {

    private static final Pattern ISSUE = Pattern.compile("^([\\w.-]+/[\\w.-]+)#(\\d+)$");

    private final NamedParameterJdbcTemplate jdbc;

    public IdeaOutcomes(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Outcome(String title, String outcome, Map<String, String> links) {}

    /** The outcomes of these ideas (one read), by idea id; an idea not found is left out. */
    public Map<String, Outcome> of(Collection<String> ideaIds) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        if (ideaIds.isEmpty()) {
            return outcomes;
        }
        jdbc.query("""
                SELECT i.id, i.title, i.status, i.source_type, i.source_ref, i.repository,
                       coalesce((SELECT d.kind = 'rollback' FROM facteur.deploy_records d WHERE d.idea_id = i.id
                                 ORDER BY d.id DESC LIMIT 1), false) AS reverted,
                       EXISTS (SELECT 1 FROM facteur.remediation_cycles c WHERE c.idea_id = i.id AND c.allowed) AS remediated,
                       (SELECT r.result -> 'outputs' FROM facteur.runs r WHERE r.idea_id = i.id AND r.stage = 'integration'
                          AND r.status = 'SUCCEEDED' ORDER BY r.completed_at DESC NULLS LAST LIMIT 1)::text AS integration
                FROM facteur.ideas i WHERE i.id = ANY(:ids)""", Map.of("ids", ideaIds.toArray(String[]::new)), rs -> {
            String ideaId = rs.getString("id");
            String integration = rs.getString("integration");
            String outcome = rs.getBoolean("reverted")
                    ? "reverted"
                    : rs.getBoolean("remediated")
                            ? "remediated"
                            : integration != null ? "merged" : rs.getString("status");
            Map<String, String> links = new LinkedHashMap<>();
            links.put("idea", "/api/ideas/" + ideaId);
            Matcher issue = ISSUE.matcher(rs.getString("source_ref") == null ? "" : rs.getString("source_ref"));
            if ("github".equals(rs.getString("source_type")) && issue.matches()) {
                links.put("issue", "https://github.com/" + issue.group(1) + "/issues/" + issue.group(2));
            }
            String repository = rs.getString("repository");
            if (integration != null
                    && repository != null
                    && ISSUE.matcher(repository + "#1").matches()) {
                Matcher pull = Pattern.compile("\"pullRequest\"\\s*:\\s*(\\d+)").matcher(integration);
                if (pull.find()) {
                    links.put("pullRequest", "https://github.com/" + repository + "/pull/" + pull.group(1));
                }
                Matcher sha = Pattern.compile("\"mergeSha\"\\s*:\\s*\"([0-9a-f]{7,40})\"")
                        .matcher(integration);
                if (sha.find()) {
                    links.put("commit", "https://github.com/" + repository + "/commit/" + sha.group(1));
                }
            }
            outcomes.put(ideaId, new Outcome(rs.getString("title"), outcome, links));
        });
        return outcomes;
    }
}
