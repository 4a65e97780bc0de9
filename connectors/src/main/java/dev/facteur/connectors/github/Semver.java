package dev.facteur.connectors.github;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A release tag {@code vMAJOR.MINOR.PATCH} and its bump. */
record Semver(int major, int minor, int patch) implements Comparable<Semver> {

    private static final Pattern TAG = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");

    static Optional<Semver> parse(String tag) {
        Matcher m = TAG.matcher(tag);
        return m.matches()
                ? Optional.of(new Semver(
                        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))))
                : Optional.empty();
    }

    Semver bump(String part) {
        return switch (part) {
            case "major" -> new Semver(major + 1, 0, 0);
            case "minor" -> new Semver(major, minor + 1, 0);
            case "patch" -> new Semver(major, minor, patch + 1);
            default ->
                throw new IllegalArgumentException("release bump must be major, minor or patch, not '" + part + "'");
        };
    }

    @Override
    public int compareTo(Semver other) {
        int c = Integer.compare(major, other.major);
        c = c != 0 ? c : Integer.compare(minor, other.minor);
        return c != 0 ? c : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return "v" + major + "." + minor + "." + patch;
    }
}
