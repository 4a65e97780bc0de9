package dev.facteur.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The idea's repository, cloned for one attempt. The runner does all the git work (clone, branches,
 * commit, merge, push), so the agent's sandbox never needs a writable {@code .git}.
 *
 * <p>Branches: the idea's work collects on {@code facteur/<idea>} (the request's {@code branch}); a
 * task works on {@code facteur-tasks/<idea>/<task>}, cut from the idea branch, and is merged back into
 * it. (A task branch cannot live under {@code facteur/<idea>/}: git refuses a branch that is also a
 * branch folder.)
 */
final class Workspace {

    private static final int PUSH_TRIES = 3;

    private final Path dir;
    private final String remote;
    private final Git git;

    private Workspace(Path dir, String remote, Git git) {
        this.dir = dir;
        this.remote = remote;
        this.git = git;
    }

    /** Clones {@code repository} (owner/repo) from the remote its pattern names into {@code dir}. */
    static Workspace clone(RunnerSettings settings, String repository, Path dir, Map<String, String> gitEnv)
            throws RunnerFailure {
        String remote = remoteOf(settings.gitRemote(), repository);
        boolean https = remote.startsWith("https://") || remote.startsWith("http://");
        if (https && settings.gitToken() == null) {
            throw new RunnerFailure("no credential for " + remote + ": set " + RunnerSettings.GIT_TOKEN
                    + " (a token allowed to push to " + repository + ")");
        }
        try {
            Files.createDirectories(dir.getParent());
        } catch (IOException e) {
            throw new RunnerFailure("cannot create the workspace folder " + dir.getParent() + ": " + e.getMessage());
        }
        Git outside = new Git(dir.getParent(), gitEnv, https ? settings.gitToken() : null);
        Git.Result cloned = outside.attempt("clone", "--quiet", "--no-tags", remote, dir.toString());
        if (!cloned.ok()) {
            throw new RunnerFailure("the repository " + repository + " cannot be cloned from " + remote + ": "
                    + Texts.tail(cloned.output(), 400) + " (check " + RunnerSettings.GIT_REMOTE + " and "
                    + RunnerSettings.GIT_TOKEN + ")");
        }
        Git inside = new Git(dir, gitEnv, https ? settings.gitToken() : null);
        inside.run("config", "user.name", settings.authorName());
        inside.run("config", "user.email", settings.authorEmail());
        return new Workspace(dir, remote, inside);
    }

    static String remoteOf(String pattern, String repository) {
        String owner = repository.substring(0, repository.indexOf('/'));
        String repo = repository.substring(repository.indexOf('/') + 1);
        return pattern.replace("{repository}", repository)
                .replace("{owner}", owner)
                .replace("{repo}", repo);
    }

    Path dir() {
        return dir;
    }

    String remote() {
        return remote;
    }

    boolean hasRemoteBranch(String branch) throws RunnerFailure {
        return git.attempt("rev-parse", "--verify", "-q", "refs/remotes/origin/" + branch)
                .ok();
    }

    void requireRemoteBranch(String branch, String why) throws RunnerFailure {
        if (!hasRemoteBranch(branch)) {
            throw new RunnerFailure("branch " + branch + " is not in " + remote + ": " + why);
        }
    }

    /** Checks out {@code branch} as it is on the remote. */
    void checkout(String branch) throws RunnerFailure {
        git.run("checkout", "-q", "-B", branch, "origin/" + branch);
    }

    /**
     * Checks out {@code head}: reused as the remote has it (a retried attempt builds on it), else created
     * from {@code from} (a remote branch, or {@code base} when even that does not exist yet).
     */
    void checkoutOrCreate(String head, String from, String base) throws RunnerFailure {
        if (hasRemoteBranch(head)) {
            checkout(head);
        } else {
            git.run("checkout", "-q", "-B", head, "origin/" + (hasRemoteBranch(from) ? from : base));
        }
    }

    /** Stages everything the agent changed; false when it changed nothing. */
    boolean stageChanges() throws RunnerFailure {
        git.run("add", "-A");
        return !git.attempt("diff", "--cached", "--quiet").ok();
    }

    String commit(String message) throws RunnerFailure {
        git.run("commit", "-q", "-m", message);
        return git.run("rev-parse", "HEAD");
    }

    /** Merges {@code head} into {@code target} (created from base if the remote lacks it). */
    void mergeInto(String target, String head, String base, String message) throws RunnerFailure {
        git.run("checkout", "-q", "-B", target, "origin/" + (hasRemoteBranch(target) ? target : base));
        Git.Result merged = git.attempt("merge", "--no-ff", "-m", message, head);
        if (!merged.ok()) {
            git.attempt("merge", "--abort");
            throw new RunnerFailure(
                    "branch " + head + " does not merge into " + target + ": " + Texts.tail(merged.output(), 400));
        }
    }

    /**
     * Pushes the branches at once ({@code --atomic}). When {@code mergeTarget} lost a race with another
     * task's push, it is merged again on the newer remote and pushed again, a few times.
     */
    void push(List<String> branches, String mergeTarget, String head, String base, String mergeMessage)
            throws RunnerFailure {
        for (int tryNumber = 1; ; tryNumber++) {
            List<String> args = new ArrayList<>(List.of("push", "--atomic", "--porcelain", "origin"));
            branches.forEach(branch -> args.add(branch + ":refs/heads/" + branch));
            Git.Result pushed = git.attempt(args.toArray(String[]::new));
            if (pushed.ok()) {
                return;
            }
            boolean raced =
                    pushed.output().contains("[rejected]") && pushed.output().contains("fetch first")
                            || pushed.output().contains("non-fast-forward");
            if (!raced || mergeTarget == null || tryNumber >= PUSH_TRIES) {
                throw new RunnerFailure("push to " + remote + " refused: " + Texts.tail(pushed.output(), 500));
            }
            git.run("fetch", "-q", "origin", mergeTarget);
            mergeInto(mergeTarget, head, base, mergeMessage);
        }
    }

    /** What {@code to} changes against {@code from}: files and lines added + deleted. */
    Churn churn(String from, String to) throws RunnerFailure {
        List<String> files = new ArrayList<>();
        int lines = 0;
        for (String line :
                git.run("diff", "--numstat", from + "..." + to).lines().toList()) {
            String[] columns = line.split("\t", 3);
            if (columns.length == 3) {
                lines += columns[0].equals("-") ? 0 : Integer.parseInt(columns[0]);
                lines += columns[1].equals("-") ? 0 : Integer.parseInt(columns[1]);
                files.add(columns[2]);
            }
        }
        return new Churn(files, lines);
    }

    String diff(String from, String to) throws RunnerFailure {
        return git.run("diff", from + "..." + to);
    }

    record Churn(List<String> files, int lines) {}
}
