package dev.facteur.model.settings;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.integration.*}: how an idea's branch reaches its target.
 *
 * @param maxAttempts    integrations ending in a conflict, a red check or requested changes before a
 *                       person decides; each one sends the idea back to its tasks first
 * @param mergeMethod    merge | squash | rebase (GitHub)
 * @param releaseBump    major | minor | patch when the pull request has no {@code release:*} label
 * @param baseBranch     target branch of the pull requests Facteur opens
 * @param checksDeadline how long integration waits for pending required checks and reviews
 * @param checksPoll     how often it looks at them meanwhile
 */
@ConfigurationProperties("facteur.integration")
public record IntegrationSettings(
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("merge") String mergeMethod,
        @DefaultValue("minor") String releaseBump,
        @DefaultValue("main") String baseBranch,
        @DefaultValue("PT30M") Duration checksDeadline,
        @DefaultValue("PT15S") Duration checksPoll) {}
