package dev.facteur.processes.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.intake.codex-tasks.*}: the bearer token a Knative KafkaSource (or any other sender) presents to
 * {@code POST /codex/tasks}. Empty: only HTTP Basic of a member of {@code intake} is accepted.
 */
@ConfigurationProperties("facteur.intake.codex-tasks")
public record CodexTasksSettings(@DefaultValue("") String token) {}
