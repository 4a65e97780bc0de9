package dev.facteur.agent.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real Codex CLI the tests run: the pinned {@code @openai/codex} that the agent module's build installs
 * into {@code tools/codex} (system property {@code facteur.codex.bin}, else found from the working
 * directory). Missing is a failure, never a skip.
 */
public final class CodexBinary {

    private CodexBinary() {}

    public static String path() {
        String configured = System.getProperty("facteur.codex.bin");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return configured;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("tools/codex/node_modules/.bin/codex");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(
                "the Codex CLI is not installed: run bash tools/codex/install.sh " + "(the agent module's build does)");
    }
}
