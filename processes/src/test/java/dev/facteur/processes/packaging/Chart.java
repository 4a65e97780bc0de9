package dev.facteur.processes.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The chart under helm/facteur and what the packaging tests need to read it: its files, YAML
 * documents, and the templates with their Go-template actions taken out. Surefire runs in the module
 * folder, so the repository root is one level up.
 */
final class Chart {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DIR = ROOT.resolve("helm/facteur");
    static final Path TEMPLATES = DIR.resolve("templates");
    static final Path ARGO = ROOT.resolve("argo");
    static final Path ARGO_COPY = DIR.resolve("files/argo");

    private static final Pattern COMMENT = Pattern.compile("\\{\\{-?\\s*/\\*.*?\\*/\\s*-?}}", Pattern.DOTALL);
    private static final Pattern ACTION = Pattern.compile("\\{\\{-?(.*?)-?}}", Pattern.DOTALL);
    private static final Set<String> BLOCK_OPENERS = Set.of("if", "with", "range", "define", "block");
    private static final Pattern ACTION_ONLY_LINE = Pattern.compile("^\\s*(\\{\\{[^\\n]*?}}\\s*)+$");

    private Chart() {}

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML document of a plain (untemplated) file, empty documents left out. */
    static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : yaml().loadAll(yaml)) {
            if (document != null) {
                documents.add(map(document));
            }
        }
        return documents;
    }

    static Map<String, Object> values() {
        return documents(read(DIR.resolve("values.yaml"))).get(0);
    }

    /** The .yaml files below a folder, sorted. */
    static List<Path> yamlFiles(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chart's manifest templates (templates/*.yaml; _helpers.tpl and NOTES.txt are not manifests). */
    static List<Path> templates() {
        return yamlFiles(TEMPLATES);
    }

    /**
     * A template as YAML without its Go-template actions: template comments go, a line holding only
     * actions ({{- if …}}, {{- end}}, {{- include … | nindent 4}}) goes, and an action inside a line
     * becomes the marker «expression», the expression reduced to characters that are safe in a plain
     * YAML scalar. Of an if/else only the first branch stays, ranges run once. So the structure of
     * every manifest parses without Helm, and references can be compared by their expression:
     * {@code name: {{ include "facteur.workers.serviceAccountName" . }}} reads as
     * {@code «include 'facteur.workers.serviceAccountName' .»}.
     */
    static String withoutActions(String template) {
        String text = COMMENT.matcher(template).replaceAll("");
        StringBuilder out = new StringBuilder();
        int depth = 0;
        int skipUntil = -1; // depth whose `end` closes the else branch being skipped
        for (String line : text.split("\n", -1)) {
            if (ACTION_ONLY_LINE.matcher(line).matches()) {
                Matcher action = ACTION.matcher(line);
                while (action.find()) {
                    String keyword = action.group(1).trim().split("\\s+")[0];
                    if (BLOCK_OPENERS.contains(keyword)) {
                        depth++;
                    } else if (keyword.equals("end")) {
                        if (depth == skipUntil) {
                            skipUntil = -1;
                        }
                        depth--;
                    } else if (keyword.equals("else") && skipUntil < 0) {
                        skipUntil = depth;
                    }
                }
                continue;
            }
            if (skipUntil >= 0) {
                continue;
            }
            Matcher action = ACTION.matcher(line);
            out.append(action.replaceAll(match -> Matcher.quoteReplacement(marker(match.group(1)))))
                    .append('\n');
        }
        return out.toString();
    }

    static String marker(String expression) {
        String safe = expression.trim().replace('"', '\'').replaceAll("[^A-Za-z0-9._ '()$/|-]", "");
        return "«" + safe + "»";
    }

    /** The manifests of a template, parsed after {@link #withoutActions}. */
    static List<Map<String, Object>> templateDocuments(Path template) {
        return documents(withoutActions(read(template)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : new LinkedHashMap<>();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> list ? (List<Object>) list : List.of();
    }

    /** A value by dotted path ("spec.template.spec.serviceAccountName"), or null. */
    static Object at(Map<String, Object> document, String path) {
        Object current = document;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    static String text(Map<String, Object> document, String path) {
        return Objects.toString(at(document, path), null);
    }

    static String kind(Map<String, Object> document) {
        return text(document, "kind");
    }

    static String name(Map<String, Object> document) {
        return text(document, "metadata.name");
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false); // a duplicated key in a manifest is a bug, not a warning
        return new Yaml(new SafeConstructor(options));
    }
}
