package dev.facteur.processes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.local.DemoAgent;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A TEST agent: the demo agent, plus behaviours tests steer through the idea's repository name.
 * {@code cyclic/*} plans a dependency cycle; {@code flaky/*} fails implementation (exit 3) while
 * {@code <FACTEUR_TEST_FLAGS>/<owner-repo>} exists; {@code slow/*} takes 2.5 s to plan and to implement (the
 * stages tests pause or cancel in);
 * {@code hung/*} never finishes planning; {@code picky/*} fails its first two reviews (verdict FAILED) and passes
 * the third; {@code churny/*} passes review reporting 20000 changed lines. Owners {@code pair}, {@code six} and {@code diamond} plan
 * two or six independent tasks or a diamond (so do owners starting with {@code pair-}, {@code six-} or {@code diamond-}); an owner ending in {@code -slow} takes 1.5 s per task; one ending in {@code -gate} holds its
 * implementations while {@code <FACTEUR_TEST_FLAGS>/<owner-repo>} exists. Owners starting with {@code gh-} stand
 * for a remote service: their deploy and monitor stages succeed (HEALTHY) without the local repository. An owner
 * ending in {@code -deploygate} holds its deploys while {@code <FACTEUR_TEST_FLAGS>/<owner-repo>} exists. A repository
 * with a {@code <FACTEUR_TEST_FLAGS>/<owner-repo>.runner.properties} runs planning, implementation and review with
 * the real stage runner (and codex), configured by that file.
 */
public final class TestAgent {

    private static final java.util.Map<String, String> SHAPES = java.util.Map.of(
            "pair", task("a") + "," + task("b"),
            "six", String.join(",", task("a"), task("b"), task("c"), task("d"), task("e"), task("f")),
            "diamond", String.join(",", task("a"), task("b", "a"), task("c", "a"), task("d", "b", "c")));

    private TestAgent() {}

    private static String task(String id, String... dependsOn) {
        String deps = String.join(
                ",",
                java.util.Arrays.stream(dependsOn).map(d -> "\"" + d + "\"").toList());
        return "{\"id\":\"" + id + "\",\"title\":\"task " + id + "\",\"dependsOn\":[" + deps
                + "],\"acceptanceCriteria\":[\"" + id + " works\"],\"heavy\":true}";
    }

    /** The stage runner's environment for a repository: the basics of this process and the test's file. */
    private static java.util.Map<String, String> runnerEnvironment(Path file) throws java.io.IOException {
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String name : new String[] {"PATH", "HOME", "LANG"}) {
            if (System.getenv(name) != null) {
                env.put(name, System.getenv(name));
            }
        }
        java.util.Properties properties = new java.util.Properties();
        try (var in = Files.newInputStream(file)) {
            properties.load(in);
        }
        properties.stringPropertyNames().forEach(name -> env.put(name, properties.getProperty(name)));
        return env;
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode request = mapper.readTree(Path.of(args[0]).toFile());
        String repo = request.path("repo").asText();
        String stage = request.path("stage").asText();
        Path runner = Path.of(System.getenv("FACTEUR_TEST_FLAGS"), repo.replace('/', '-') + ".runner.properties");
        if (Files.exists(runner) && dev.facteur.agent.StageRequest.AGENT_STAGES.contains(stage)) {
            System.exit(dev.facteur.agent.StageRunner.run(args, runnerEnvironment(runner)));
        }
        if (repo.startsWith("cyclic/") && stage.equals("planning")) {
            Files.writeString(Path.of(args[1]), """
                    {"status":"SUCCEEDED","message":"test agent: a cyclic plan","outputs":{"plan":{
                      "tasks":[
                        {"id":"t1","title":"one","dependsOn":["t3"],"acceptanceCriteria":["a"]},
                        {"id":"t2","title":"two","dependsOn":["t1"],"acceptanceCriteria":["b"]},
                        {"id":"t3","title":"three","dependsOn":["t2"],"acceptanceCriteria":["c"]}],
                      "milestones":[],"acceptanceCriteria":["a"],"risks":[]}}}""");
            return;
        }
        String owner = repo.substring(0, Math.max(0, repo.indexOf('/')));
        String shape = owner.replace("-slow", "").replace("-gate", "").split("-")[0];
        if (stage.equals("planning") && SHAPES.containsKey(shape)) {
            Files.writeString(
                    Path.of(args[1]),
                    "{\"status\":\"SUCCEEDED\",\"message\":\"test agent: " + shape
                            + " plan\",\"outputs\":{\"plan\":{\"tasks\":[" + SHAPES.get(shape)
                            + "],\"milestones\":[],\"acceptanceCriteria\":[\"done\"],\"risks\":[]}}}");
            return;
        }
        if (owner.equals("picky")
                && stage.equals("review")
                && request.path("attempt").asInt() <= 2) {
            Files.writeString(
                    Path.of(args[1]),
                    "{\"status\":\"FAILED\",\"message\":\"test agent: review attempt "
                            + request.path("attempt").asInt()
                            + " fails on purpose\",\"outputs\":{\"verdict\":\"FAILED\","
                            + "\"testsRun\":true,\"findings\":\"test_hello fails on attempt "
                            + request.path("attempt").asInt()
                            + "\"}}");
            return;
        }
        if (owner.equals("churny") && stage.equals("review")) {
            Files.writeString(
                    Path.of(args[1]),
                    "{\"status\":\"SUCCEEDED\",\"message\":\"test agent: a huge change\","
                            + "\"outputs\":{\"verdict\":\"PASSED\",\"testsRun\":true,\"testCommands\":[\"test.sh\"],"
                            + "\"linesChanged\":20000,\"changedFiles\":[\"src/generated/everything.txt\"]}}");
            return;
        }
        if (owner.endsWith("-slow") && stage.equals("implementation")) {
            Thread.sleep(1500);
        }
        Path flag = Path.of(System.getenv("FACTEUR_TEST_FLAGS"), repo.replace('/', '-'));
        for (int waited = 0;
                owner.endsWith("-gate") && stage.equals("implementation") && Files.exists(flag) && waited < 120_000;
                waited += 100) {
            Thread.sleep(100);
        }
        for (int waited = 0;
                owner.endsWith("-deploygate") && stage.equals("deploy") && Files.exists(flag) && waited < 120_000;
                waited += 100) {
            Thread.sleep(100);
        }
        if (owner.startsWith("gh-") && (stage.equals("deploy") || stage.equals("monitor"))) {
            String version = request.path("parameters").path("version").asText("unknown");
            Files.writeString(
                    Path.of(args[1]),
                    "{\"status\":\"SUCCEEDED\",\"message\":\"test agent: remote "
                            + stage + "\",\"outputs\":{\"deployStatus\":\"DEPLOYED\",\"version\":\"" + version
                            + "\",\"monitorVerdict\":\"HEALTHY\"}}");
            return;
        }
        if (repo.startsWith("flaky/") && stage.equals("implementation") && Files.exists(flag)) {
            System.err.println("test agent: implementation broken on purpose");
            System.exit(3);
        }
        if (repo.startsWith("hung/") && stage.equals("planning")) {
            Thread.sleep(600_000);
        }
        if (repo.startsWith("slow/") && (stage.equals("planning") || stage.equals("implementation"))) {
            Thread.sleep(2500);
        }
        DemoAgent.main(args);
    }
}
