package dev.facteur.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test git repositories: a bare "remote" per {@code owner/repo} under a root, seeded with a {@code main}
 * branch (README, AGENTS.md, a test script), and git commands to look at what was pushed.
 */
public final class TestRepositories {

    private final Path root;

    public TestRepositories(Path root) {
        this.root = root;
    }

    /** The runner's {@code FACTEUR_GIT_REMOTE} pattern for these remotes. */
    public String remotePattern() {
        return root.toAbsolutePath() + "/{owner}/{repo}.git";
    }

    public Path bare(String repository) {
        return root.resolve(repository + ".git").toAbsolutePath();
    }

    /** Creates the bare remote of {@code repository} with one commit on main. */
    public Path create(String repository) throws IOException {
        Path bare = bare(repository);
        Path seed =
                Files.createTempDirectory(root.toAbsolutePath().getParent() == null ? root : root.getParent(), "seed");
        Files.createDirectories(bare.getParent());
        git(root, "init", "-q", "--bare", "-b", "main", bare.toString());
        git(seed, "init", "-q", "-b", "main");
        Files.writeString(seed.resolve("README.md"), "# " + repository + "\n", StandardCharsets.UTF_8);
        Files.writeString(seed.resolve("AGENTS.md"), "Run ./test.sh before you answer.\n", StandardCharsets.UTF_8);
        Path test = seed.resolve("test.sh");
        Files.writeString(test, "#!/bin/sh\necho \"$(ls | wc -l) files ok\"\n", StandardCharsets.UTF_8);
        test.toFile().setExecutable(true);
        git(seed, "add", "-A");
        git(seed, "-c", "user.name=seed", "-c", "user.email=seed@test.invalid", "commit", "-q", "-m", "seed");
        git(seed, "push", "-q", bare.toString(), "main");
        return bare;
    }

    /** A remote that refuses every push (a pre-receive hook), as a protected repository would. */
    public void refusePushes(String repository, String reason) throws IOException {
        Path hook = bare(repository).resolve("hooks/pre-receive");
        Files.writeString(hook, "#!/bin/sh\necho \"" + reason + "\" >&2\nexit 1\n", StandardCharsets.UTF_8);
        hook.toFile().setExecutable(true);
    }

    /** git in the bare remote of {@code repository}, e.g. {@code show main:file}. */
    public String inRemote(String repository, String... args) throws IOException {
        return git(bare(repository), args);
    }

    public static String git(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("git " + String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return output.strip();
    }
}
