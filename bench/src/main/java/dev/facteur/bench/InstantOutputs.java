package dev.facteur.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.WorkflowNames;

/**
 * What a stage that finished at once reports, as the real workloads would: planning its plan, review its
 * verdict (PASSED: a review without one is refused, fail closed), integration the merge commit and release tag,
 * deploy the version it deployed (the one requested, as the deploy template does), monitoring a healthy
 * verdict, the other stages nothing beyond success. Shared by the benchmark's and the fault suite's executors.
 */
final class InstantOutputs {

    private InstantOutputs() {}

    static ObjectNode of(StageRequest request, JsonNode plan) {
        ObjectNode outputs = JsonNodeFactory.instance.objectNode();
        switch (request.stage()) {
            case PLANNING -> outputs.set("plan", plan);
            case REVIEW -> outputs.put("verdict", "PASSED");
            case INTEGRATION ->
                outputs.put("integrationOutcome", "MERGED")
                        .put(
                                "mergeSha",
                                WorkflowNames.sha256(request.workflowName()).substring(0, 40))
                        .put("tag", "v0.1." + request.attempt());
            case DEPLOY -> {
                String requested = request.parameters().path("version").asText("");
                outputs.put("deployStatus", "DEPLOYED").put("version", requested.isBlank() ? "v0.1.0" : requested);
            }
            case MONITOR -> outputs.put("monitorVerdict", "HEALTHY");
            default -> {}
        }
        return outputs;
    }
}
