package dev.facteur.agent;

import dev.facteur.agent.testing.TestRepositories;
import java.nio.file.Files;
import java.nio.file.Path;

/** A change pushed by someone else than the runner (what an earlier implementation left). */
final class TestRepositoriesGit {

    private TestRepositoriesGit() {}

    static void cloneCommitPush(Path bare, Path clone, String branch, String file, String content) throws Exception {
        TestRepositories.git(clone.getParent(), "clone", "-q", bare.toString(), clone.toString());
        TestRepositories.git(clone, "checkout", "-q", "-b", branch);
        Files.writeString(clone.resolve(file), content);
        TestRepositories.git(clone, "add", "-A");
        TestRepositories.git(
                clone, "-c", "user.name=t", "-c", "user.email=t@test.invalid", "commit", "-q", "-m", "work");
        TestRepositories.git(clone, "push", "-q", "origin", branch);
    }
}
