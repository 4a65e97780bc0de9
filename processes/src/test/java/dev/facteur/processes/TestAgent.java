package dev.facteur.processes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.local.DemoAgent;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A TEST agent: the demo agent, plus behaviours tests steer through the idea's repository name.
 * {@code cyclic/*} plans a dependency cycle; {@code flaky/*} fails implementation (exit 3) while
 * {@code <FACTEUR_TEST_FLAGS>/<owner-repo>} exists; {@code slow/*} takes 2.5 s per stage;
 * {@code hung/*} never finishes planning.
 */
public final class TestAgent {

    private TestAgent() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode request = mapper.readTree(Path.of(args[0]).toFile());
        String repo = request.path("repo").asText();
        String stage = request.path("stage").asText();
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
        if (repo.startsWith("flaky/") && stage.equals("implementation")
                && Files.exists(Path.of(System.getenv("FACTEUR_TEST_FLAGS"), repo.replace('/', '-')))) {
            System.err.println("test agent: implementation broken on purpose");
            System.exit(3);
        }
        if (repo.startsWith("hung/") && stage.equals("planning")) {
            Thread.sleep(600_000);
        }
        if (repo.startsWith("slow/")) {
            Thread.sleep(2500);
        }
        DemoAgent.main(args);
    }
}
