package dev.facteur.processes.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The images' Dockerfiles, read as Docker reads them (no Docker engine runs here): a Maven build
 * stage, an extract stage splitting the Boot jar into its layers, and a JRE 17 runtime that copies the
 * layers, runs as a non-root user, exposes the app's port, checks its health and starts the launcher.
 */
class DockerfilesTest {

    private static final List<String> LAYERS =
            List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
    private static final Pattern JRE_17 = Pattern.compile("^eclipse-temurin:17[-.\\w]*jre[-.\\w]*$");

    record Instruction(String keyword, String arguments) {}

    @ParameterizedTest
    @CsvSource({"processes, facteur-processes", "workers, facteur-workers"})
    void theImageIsAMultiStageBuildOfTheLayeredJarOnAJre17(String module, String artifact) {
        List<List<Instruction>> stages = stages(parse(Chart.ROOT.resolve(module).resolve("Dockerfile")));

        assertThat(stages).as("build, extract and runtime stages").hasSizeGreaterThanOrEqualTo(3);
        String build = joined(stages.get(0), "RUN");
        assertThat(build)
                .contains("mvn ", "-pl " + module, "-am", "package", module + "/target/" + artifact + "-*-exec.jar");
        assertThat(pom(module)).contains("<artifactId>" + artifact + "</artifactId>");

        List<Instruction> extract = stages.get(stages.size() - 2);
        assertThat(base(extract)).matches(JRE_17);
        assertThat(joined(extract, "RUN")).contains("-Djarmode=tools", "extract --layers --launcher");

        List<Instruction> runtime = stages.get(stages.size() - 1);
        assertThat(base(runtime)).as("runtime base image").matches(JRE_17);
        List<String> copies = runtime.stream()
                .filter(instruction -> instruction.keyword().equals("COPY"))
                .map(Instruction::arguments)
                .toList();
        assertThat(copies).hasSize(LAYERS.size());
        for (int i = 0; i < LAYERS.size(); i++) {
            assertThat(copies.get(i))
                    .as("layer %d, least changing first", i + 1)
                    .startsWith("--from=extract")
                    .contains("/extracted/" + LAYERS.get(i) + "/");
        }
    }

    @ParameterizedTest
    @CsvSource({"processes, 8080", "workers, 8081"})
    void theImageRunsAsANonRootUserExposesItsPortChecksHealthAndStartsTheLauncher(String module, String port) {
        List<Instruction> runtime = last(stages(parse(Chart.ROOT.resolve(module).resolve("Dockerfile"))));

        String user = single(runtime, "USER");
        assertThat(user).as("numeric, so runAsNonRoot can check it").matches("\\d+(:\\d+)?");
        assertThat(user.split(":")[0]).isNotEqualTo("0");
        assertThat(single(runtime, "EXPOSE")).isEqualTo(port);
        assertThat(single(runtime, "ENV")).contains("SERVER_PORT=" + port);
        assertThat(single(runtime, "HEALTHCHECK")).contains("/actuator/health/liveness");
        assertThat(single(runtime, "ENTRYPOINT"))
                .isEqualTo("[\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
    }

    @ParameterizedTest
    @CsvSource({"processes, facteur-processes", "workers, facteur-workers"})
    void whenTheModuleHasBeenPackagedItsRunnableJarCarriesTheFourLayers(String module, String artifact)
            throws IOException {
        Optional<Path> jar = execJar(Chart.ROOT.resolve(module).resolve("target"), artifact);
        assumeTrue(
                jar.isPresent(),
                module + " has not been packaged (mvn package builds " + artifact + "-<version>-exec.jar)");

        try (JarFile file = new JarFile(jar.get().toFile());
                InputStream index = file.getInputStream(file.getJarEntry("BOOT-INF/layers.idx"))) {
            String layers = new String(index.readAllBytes(), StandardCharsets.UTF_8);
            LAYERS.forEach(layer -> assertThat(layers).contains("- \"" + layer + "\":"));
            assertThat(file.getJarEntry("org/springframework/boot/loader/launch/JarLauncher.class"))
                    .isNotNull();
        }
    }

    @ParameterizedTest
    @CsvSource({"**/target/", ".git/", ".facteur/"})
    void theBuildContextLeavesOutBuildOutputAndLocalState(String pattern) {
        List<String> ignored = Chart.read(Chart.ROOT.resolve(".dockerignore"))
                .lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .toList();

        assertThat(ignored)
                .contains(pattern)
                .noneMatch(line -> line.matches("(?i)(db|forms|connectors|workers|processes)/?"));
    }

    /** The instructions of a Dockerfile: comments dropped, continuation lines joined. */
    static List<Instruction> parse(Path dockerfile) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Chart.read(dockerfile).lines().toList()) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String[] parts = current.toString().split("\\s+", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1].strip() : ""));
            current.setLength(0);
        }
        return instructions;
    }

    private static List<List<Instruction>> stages(List<Instruction> instructions) {
        List<List<Instruction>> stages = new ArrayList<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                stages.add(new ArrayList<>());
            }
            assertThat(stages).as("FROM before %s", instruction.keyword()).isNotEmpty();
            last(stages).add(instruction);
        }
        return stages;
    }

    private static String base(List<Instruction> stage) {
        Matcher from = Pattern.compile("^(\\S+)").matcher(stage.get(0).arguments());
        assertThat(from.find()).isTrue();
        return from.group(1);
    }

    private static String joined(List<Instruction> stage, String keyword) {
        return String.join(
                "\n",
                stage.stream()
                        .filter(i -> i.keyword().equals(keyword))
                        .map(Instruction::arguments)
                        .toList());
    }

    private static String single(List<Instruction> stage, String keyword) {
        List<String> found = stage.stream()
                .filter(i -> i.keyword().equals(keyword))
                .map(Instruction::arguments)
                .toList();
        assertThat(found).as(keyword + " in the runtime stage").hasSize(1);
        return found.get(0);
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private static String pom(String module) {
        return Chart.read(Chart.ROOT.resolve(module).resolve("pom.xml"));
    }

    private static Optional<Path> execJar(Path target, String artifact) throws IOException {
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(
                            file -> file.getFileName().toString().matches(Pattern.quote(artifact) + "-.+-exec\\.jar"))
                    .findFirst();
        }
    }
}
