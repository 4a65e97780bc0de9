package dev.facteur.processes.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Chart.yaml, values.yaml and values.schema.json: every value is documented where it is declared
 * ({@code ## @param}), the defaults satisfy the schema, and the schema refuses what Helm should refuse
 * (a typo'd key, a wrong type, a missing secret reference, an exposed /engine-rest).
 */
class HelmValuesTest {

    private static final Pattern PARAM = Pattern.compile("^\\s*## @param (\\S+)\\s+(.*)$", Pattern.MULTILINE);

    private final ObjectMapper mapper = new ObjectMapper();
    private final Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
            .getSchema(Chart.read(Chart.DIR.resolve("values.schema.json")));

    @Test
    void chartYamlIsAnApplicationChartV2NamedFacteur() {
        Map<String, Object> chart =
                Chart.documents(Chart.read(Chart.DIR.resolve("Chart.yaml"))).get(0);

        assertThat(chart)
                .containsEntry("apiVersion", "v2")
                .containsEntry("name", "facteur")
                .containsEntry("type", "application")
                .containsKeys("version", "appVersion", "description");
        assertThat(Chart.DIR.resolve("templates/_helpers.tpl")).isRegularFile();
        assertThat(Chart.DIR.resolve("templates/NOTES.txt")).isRegularFile();
    }

    @Test
    void everyValueIsDocumentedWhereItIsDeclaredAndEveryParamNamesAValue() {
        Map<String, String> params = params();
        Set<String> declared = new LinkedHashSet<>();
        collectPaths("", Chart.values(), declared);

        params.forEach((path, description) ->
                assertThat(description).as("description of @param %s", path).isNotBlank());
        assertThat(params.keySet()).as("@param paths that name no value").isSubsetOf(declared);
        assertThat(undocumented("", Chart.values(), params.keySet()))
                .as("values without @param")
                .isEmpty();
    }

    @Test
    void theChartReadmeListsEveryValue() {
        String readme = Chart.read(Chart.DIR.resolve("README.md"));

        assertThat(params().keySet()).allSatisfy(path -> assertThat(readme).contains("`" + path + "`"));
    }

    @Test
    void theDefaultValuesSatisfyTheSchema() {
        assertThat(problems(defaults())).isEmpty();
    }

    @Test
    void theSchemaRejectsATypoedTopLevelKeyAndTyposInsideTheFacteurConfiguration() {
        ObjectNode topLevel = defaults();
        topLevel.put("replicaCount", 3); // belongs under engine
        ObjectNode nested = defaults();
        nested.withObjectProperty("facteur").withObjectProperty("dispatch").put("max-heavy-workflow", 4);

        assertThat(problems(topLevel)).anyMatch(problem -> problem.contains("replicaCount"));
        assertThat(problems(nested)).anyMatch(problem -> problem.contains("max-heavy-workflow"));
    }

    @Test
    void theSchemaRejectsWrongTypesAndValuesOutOfRange() {
        ObjectNode replicas = defaults();
        replicas.withObjectProperty("engine").put("replicaCount", "two");
        ObjectNode executor = defaults();
        executor.withObjectProperty("facteur").withObjectProperty("executor").put("type", "kubernetes");
        ObjectNode duration = defaults();
        duration.withObjectProperty("facteur").withObjectProperty("stages").put("stuck-after", "thirty minutes");

        assertThat(problems(replicas)).isNotEmpty();
        assertThat(problems(executor)).isNotEmpty();
        assertThat(problems(duration)).isNotEmpty();
    }

    @Test
    void requiredSecretsMustBeReferencedAndOptionalOnesMayStayEmpty() {
        ObjectNode noAdminSecret = defaults();
        noAdminSecret.withObjectProperty("admin").withObjectProperty("password").put("secretName", "");
        ObjectNode inlinePassword = defaults();
        inlinePassword.withObjectProperty("database").put("password", "s3cret");

        assertThat(problems(noAdminSecret)).isNotEmpty();
        assertThat(problems(inlinePassword))
                .as("a password is a secret reference, never a value")
                .isNotEmpty();
        assertThat(defaults().at("/github/token/secretName").asText()).isEmpty();
        assertThat(defaults().at("/kafka/saslPassword/secretName").asText()).isEmpty();
        assertThat(defaults().at("/discord/publicKey/secretName").asText()).isEmpty();
    }

    @Test
    void theEngineRestApiAndTheActuatorCannotBeRoutedThroughTheIngress() {
        ObjectNode exposed = defaults();
        exposed.withObjectProperty("engine")
                .withObjectProperty("ingress")
                .putArray("paths")
                .add("/camunda")
                .add("/engine-rest");

        assertThat(problems(exposed)).isNotEmpty();
        assertThat(defaults().at("/engine/ingress/paths").toString()).doesNotContain("engine-rest", "actuator");
    }

    @Test
    void stageAccountOverridesMustBeStageAccountsThePolicyAdmits() {
        ObjectNode override = defaults();
        override.withObjectProperty("facteur")
                .withObjectProperty("executor")
                .withObjectProperty("argo")
                .withObjectProperty("service-accounts")
                .put("deploy", "default");

        assertThat(problems(override)).isNotEmpty();
    }

    @Test
    void productionDefaultsRunTwoEnginesOnArgoWithoutCamundaSelfUpgrade() {
        JsonNode values = defaults();

        assertThat(values.at("/engine/replicaCount").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(values.at("/engine/camundaSchemaUpdate").asBoolean()).isFalse();
        assertThat(values.at("/facteur/executor/type").asText()).isEqualTo("argo");
        assertThat(values.at("/workers/enabled").asBoolean()).isTrue();
        assertThat(values.at("/workers/autoscaling/enabled").asBoolean()).isTrue();
    }

    private ObjectNode defaults() {
        return mapper.valueToTree(Chart.values());
    }

    private List<String> problems(JsonNode values) {
        return schema.validate(values).stream()
                .map(error -> error.getInstanceLocation() + ": " + error.getMessage())
                .toList();
    }

    static Map<String, String> params() {
        Map<String, String> params = new LinkedHashMap<>();
        Matcher matcher = PARAM.matcher(Chart.read(Chart.DIR.resolve("values.yaml")));
        while (matcher.find()) {
            params.put(matcher.group(1), matcher.group(2).trim());
        }
        return params;
    }

    private static void collectPaths(String prefix, Map<String, Object> values, Set<String> paths) {
        values.forEach((key, value) -> {
            String path = prefix + key;
            paths.add(path);
            if (value instanceof Map<?, ?> && !((Map<?, ?>) value).isEmpty()) {
                collectPaths(path + ".", Chart.map(value), paths);
            }
        });
    }

    /** Paths neither documented themselves nor inside a documented value nor made of documented children. */
    private static Set<String> undocumented(String prefix, Map<String, Object> values, Set<String> documented) {
        Set<String> missing = new LinkedHashSet<>();
        values.forEach((key, value) -> {
            String path = prefix + key;
            if (documented.contains(path)) {
                return;
            }
            if (value instanceof Map<?, ?> && !((Map<?, ?>) value).isEmpty()) {
                missing.addAll(undocumented(path + ".", Chart.map(value), documented));
            } else {
                missing.add(path);
            }
        });
        return missing;
    }
}
