package dev.facteur.processes.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of {@code processes} depend on each other one way only: no package reaches itself through the
 * imports of the main sources (a two-way pair, or a longer ring such as policy → approval → plan → policy). Read
 * from the source's import lines, so it needs no class loading and no engine.
 */
class PackageCyclesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile(
            "^import (?:static )?(dev\\.facteur\\.processes(?:\\.[a-z_0-9]+)*)\\.[A-Z]", Pattern.MULTILINE);

    @Test
    void noPackageOfProcessesReachesItselfThroughItsImports() {
        Map<String, Set<String>> imports = imports();
        // the reading works: a dependency known to exist is found
        assertThat(imports.get("dev.facteur.processes.policy")).contains("dev.facteur.processes.approval");

        List<String> cycles = new ArrayList<>();
        for (String start : imports.keySet()) {
            cycle(start, imports).map(path -> String.join(" → ", path)).ifPresent(cycles::add);
        }
        assertThat(cycles).as("package cycles in processes").isEmpty();
    }

    /** A shortest path from {@code start} back to itself, if there is one. */
    static Optional<List<String>> cycle(String start, Map<String, Set<String>> imports) {
        Map<String, String> reachedFrom = new TreeMap<>();
        List<String> frontier = List.of(start);
        while (!frontier.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String from : frontier) {
                for (String to : imports.getOrDefault(from, Set.of())) {
                    if (to.equals(start)) {
                        List<String> path = new ArrayList<>(List.of(start));
                        for (String at = from; !at.equals(start); at = reachedFrom.get(at)) {
                            path.add(1, at);
                        }
                        path.add(start);
                        return Optional.of(path);
                    }
                    if (reachedFrom.putIfAbsent(to, from) == null) {
                        next.add(to);
                    }
                }
            }
            frontier = next;
        }
        return Optional.empty();
    }

    @Test
    void aRingOfThreePackagesIsFound() {
        Map<String, Set<String>> ring = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"));
        assertThat(cycle("a", ring)).contains(List.of("a", "b", "c", "a"));
        assertThat(cycle("d", ring)).isEmpty();
    }

    private static Map<String, Set<String>> imports() {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                String source = read(file);
                Matcher pkg = PACKAGE.matcher(source);
                if (!pkg.find()) {
                    return;
                }
                Set<String> targets = imports.computeIfAbsent(pkg.group(1), p -> new TreeSet<>());
                Matcher imported = IMPORT.matcher(source);
                while (imported.find()) {
                    if (!imported.group(1).equals(pkg.group(1))) {
                        targets.add(imported.group(1));
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return imports;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
