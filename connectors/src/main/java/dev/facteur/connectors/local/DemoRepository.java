package dev.facteur.connectors.local;

import static dev.facteur.connectors.local.DemoAgent.say;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The demo agent's git repository, {@code <workspace>/repos/<repo>}, and the deployment folder the
 * demo deploy script writes, {@code <workspace>/deployments/<repo>}. Created on first use with a
 * README, a test script and a deploy script committed on {@code main}.
 */
final class DemoRepository {

    static final String MAIN = "main";

    private static final String TEST_SCRIPT = """
            #!/bin/sh
            # Demo test suite: every feature file must have content.
            count=0
            for f in $(find features -type f 2>/dev/null | sort); do
              if [ ! -s "$f" ]; then
                echo "empty feature file: $f"
                exit 1
              fi
              count=$((count + 1))
            done
            echo "$count features ok"
            """;

    private static final String DEPLOY_SCRIPT = """
            #!/bin/sh
            # Demo deployment: ships a version of this repository to ../../deployments/<repo>/,
            # where the demo monitor reads its metrics. FACTEUR_DEMO_ERROR_RATE simulates a regression.
            set -e
            version="${1:?usage: deploy.sh <tag-or-sha>}"
            repo_dir=$(cd "$(dirname "$0")" && pwd)
            target="$(cd "$repo_dir/../.." && pwd)/deployments/$(basename "$repo_dir")"
            mkdir -p "$target"
            rm -rf "$target/app" && mkdir "$target/app"
            git -C "$repo_dir" archive --format=tar "$version" | tar -xf - -C "$target/app"
            echo "$version" > "$target/version"
            printf '{"error_rate":%s,"latency_p99_ms":120}\\n' "${FACTEUR_DEMO_ERROR_RATE:-0.0}" > "$target/metrics.json"
            echo "deployed $version to $target"
            """;

    private final Path workspace;
    private final String name;
    private final Path dir;
    private final DemoShell shell;

    private DemoRepository(Path workspace, String name) {
        this.workspace = workspace;
        this.name = name;
        this.dir = workspace.resolve("repos").resolve(name);
        this.shell = new DemoShell(dir);
    }

    static DemoRepository of(String workspace, String repo) {
        Path root = Path.of(workspace).toAbsolutePath().normalize();
        return new DemoRepository(root, sanitize(repo == null || repo.isBlank() ? "demo" : repo));
    }

    /** Keeps repository names to one safe path segment ("org/app" becomes "org-app"). */
    static String sanitize(String value) {
        String safe = value.replaceAll("[^A-Za-z0-9._-]", "-");
        return safe.matches("\\.*") ? "demo" : safe;
    }

    Path dir() {
        return dir;
    }

    String name() {
        return name;
    }

    Path deployments() {
        return workspace.resolve("deployments").resolve(name);
    }

    DemoShell shell() {
        return shell;
    }

    /** An exclusive lock held for the whole stage, released when the JVM exits even if killed. */
    interface Lock extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /**
     * Several tasks of one repository run at the same time, each in its own JVM, and git allows one
     * writer per working tree: the lock serialises them. Blocks until the lock is free.
     */
    Lock lock() throws IOException {
        Path gitDir = dir.resolve(".git");
        Files.createDirectories(gitDir);
        FileChannel channel = FileChannel.open(
                gitDir.resolve("facteur-demo.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        say("waiting for the repository lock of " + name);
        FileLock lock = channel.lock();
        say("holding the repository lock of " + name);
        return () -> {
            lock.release();
            channel.close();
        };
    }

    /** Creates the repository on first use and clears what a killed earlier run may have left. */
    void prepare() throws IOException {
        if (!Files.exists(dir.resolve(".git/HEAD"))) {
            say("creating demo repository " + dir);
            shell.git("-c", "init.defaultBranch=" + MAIN, "init", "-q");
        }
        // we hold the lock, so no other demo git is running: an index.lock is a leftover
        Files.deleteIfExists(dir.resolve(".git/index.lock"));
        if (!shell.gitAllowingFailure("rev-parse", "--verify", "-q", MAIN).ok()) {
            scaffold();
            return;
        }
        // a half-done merge or edit from a stopped run would leak into this stage's commits
        shell.git("reset", "-q", "--hard");
    }

    private void scaffold() throws IOException {
        Files.writeString(
                dir.resolve("README.md"),
                "# " + name + "\n\n"
                        + "Demo repository managed by the Facteur demo agent (laptop mode).\n"
                        + "Each planned task adds a file under `features/`; `test.sh` checks them and\n"
                        + "`deploy.sh <version>` ships a version to `../../deployments/" + name + "/`.\n",
                StandardCharsets.UTF_8);
        writeExecutable(dir.resolve("test.sh"), TEST_SCRIPT);
        writeExecutable(dir.resolve("deploy.sh"), DEPLOY_SCRIPT);
        shell.git("symbolic-ref", "HEAD", "refs/heads/" + MAIN);
        shell.git("add", "README.md", "test.sh", "deploy.sh");
        shell.git("commit", "-q", "-m", "Initial demo repository");
    }

    private static void writeExecutable(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // non-POSIX file systems: the stages run the scripts with sh anyway
        }
    }
}
