package dev.facteur.processes.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's templates without Helm: each manifest parses once its template actions are taken out,
 * every value and helper a template names exists, every ServiceAccount and Role a manifest refers to
 * is one the chart renders, and secrets reach the pods only through secretKeyRef.
 */
class HelmTemplatesTest {

    private static final Pattern VALUE_REF = Pattern.compile("\\$?\\.Values((?:\\.[A-Za-z][A-Za-z0-9_]*)+)");
    private static final Pattern INCLUDE = Pattern.compile("include \"([^\"]+)\"");
    private static final Pattern DEFINE = Pattern.compile("define \"([^\"]+)\"");
    private static final Pattern SECRET_AS_VALUE =
            Pattern.compile("- name: (\\w*(PASSWORD|SECRET|TOKEN|PUBLICKEY|USERNAME))\\s*\\n\\s*value:");
    private static final Pattern SECRET_ENV = Pattern.compile("include \"facteur.secretEnv\" \\(list \"(\\w+)\"");

    private final String helpers = Chart.read(Chart.TEMPLATES.resolve("_helpers.tpl"));

    @Test
    void everyTemplateParsesAsKubernetesManifestsOnceItsActionsAreTakenOut() {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (Path template : Chart.templates()) {
            List<Map<String, Object>> documents = Chart.templateDocuments(template);
            for (Map<String, Object> document : documents) {
                assertThat(Chart.text(document, "apiVersion"))
                        .as("apiVersion in %s", template)
                        .isNotBlank();
                assertThat(Chart.name(document))
                        .as("metadata.name in %s", template)
                        .isNotBlank();
                kinds.merge(Chart.kind(document), 1, Integer::sum);
            }
        }

        assertThat(kinds)
                .containsEntry("Deployment", 2)
                .containsEntry("Service", 2)
                .containsEntry("ServiceAccount", 2)
                .containsEntry("PodDisruptionBudget", 2)
                .containsEntry("NetworkPolicy", 2)
                .containsKeys(
                        "ConfigMap",
                        "HorizontalPodAutoscaler",
                        "Ingress",
                        "ServiceMonitor",
                        "PrometheusRule",
                        "Role",
                        "RoleBinding",
                        "Pod")
                .doesNotContainKey("Secret");
    }

    @Test
    void everyValueATemplateReadsIsDeclaredInValuesYaml() {
        Map<String, Object> values = Chart.values();
        List<String> missing = new ArrayList<>();
        for (String source : sources()) {
            Matcher reference = VALUE_REF.matcher(source);
            while (reference.find()) {
                String path = reference.group(1).substring(1);
                if (!declared(values, path)) {
                    missing.add(path);
                }
            }
        }

        assertThat(missing)
                .as(".Values paths that values.yaml does not declare")
                .isEmpty();
    }

    @Test
    void everyIncludedHelperIsDefined() {
        Set<String> defined = matches(DEFINE, helpers);
        Set<String> included = new LinkedHashSet<>();
        sources().forEach(source -> included.addAll(matches(INCLUDE, source)));

        assertThat(defined).containsAll(included);
    }

    @Test
    void everyServiceAccountAndRoleAManifestNamesIsOneTheChartRenders() {
        Set<String> accounts = new LinkedHashSet<>();
        Set<String> roles = new LinkedHashSet<>();
        List<Map<String, Object>> bindings = new ArrayList<>();
        List<String> podAccounts = new ArrayList<>();
        for (Path template : Chart.templates()) {
            for (Map<String, Object> document : Chart.templateDocuments(template)) {
                switch (Chart.kind(document)) {
                    case "ServiceAccount" -> accounts.add(Chart.name(document));
                    case "Role" -> roles.add(Chart.name(document));
                    case "RoleBinding" -> bindings.add(document);
                    case "Deployment" -> podAccounts.add(Chart.text(document, "spec.template.spec.serviceAccountName"));
                    case "Pod" -> podAccounts.add(Chart.text(document, "spec.serviceAccountName"));
                    default -> {}
                }
            }
        }

        assertThat(accounts)
                .containsExactlyInAnyOrder(
                        Chart.marker("include \"facteur.engine.serviceAccountName\" ."),
                        Chart.marker("include \"facteur.workers.serviceAccountName\" ."));
        assertThat(podAccounts)
                .isNotEmpty()
                .allSatisfy(account -> assertThat(accounts).contains(account));
        assertThat(bindings).isNotEmpty().allSatisfy(binding -> {
            assertThat(roles).contains(Chart.text(binding, "roleRef.name"));
            for (Object subject : Chart.list(Chart.at(binding, "subjects"))) {
                assertThat(accountsNamedBy(Chart.text(Chart.map(subject), "name")))
                        .isNotEmpty()
                        .isSubsetOf(accounts);
            }
        });
    }

    @Test
    void theExecutorRoleGrantsExactlyTheRulesOfTheOrchestratorRbacInArgo() {
        Map<String, Object> chartRole =
                Chart.templateDocuments(Chart.TEMPLATES.resolve("argo-executor-rbac.yaml")).stream()
                        .filter(document -> "Role".equals(Chart.kind(document)))
                        .findFirst()
                        .orElseThrow();
        Map<String, Object> argoRole =
                Chart.documents(Chart.read(Chart.ARGO.resolve("rbac/facteur-orchestrator-rbac.yaml"))).stream()
                        .filter(document -> "Role".equals(Chart.kind(document)))
                        .findFirst()
                        .orElseThrow();

        assertThat(Chart.at(chartRole, "rules")).isEqualTo(Chart.at(argoRole, "rules"));
        assertThat(Chart.text(chartRole, "metadata.namespace")).isEqualTo(Chart.marker(".Values.argo.namespace"));
    }

    @Test
    void secretsReachThePodsOnlyThroughSecretKeyRefs() {
        Set<String> secretEnv = new LinkedHashSet<>();
        for (String source : sources()) {
            assertThat(SECRET_AS_VALUE.matcher(source).find())
                    .as("a secret-looking variable set from a value")
                    .isFalse();
            assertThat(source).doesNotContainPattern("(?m)^kind: Secret\\s*$");
            secretEnv.addAll(matches(SECRET_ENV, source));
        }

        assertThat(secretEnv)
                .contains(
                        "SPRING_DATASOURCE_USERNAME",
                        "SPRING_DATASOURCE_PASSWORD",
                        "FACTEUR_ADMIN_PASSWORD",
                        "FACTEUR_WORKERS_PASSWORD",
                        "KAFKA_SASL_USERNAME",
                        "KAFKA_SASL_PASSWORD",
                        "FACTEUR_GITHUB_WEBHOOKSECRET",
                        "FACTEUR_GITHUB_TOKEN",
                        "FACTEUR_DISCORD_PUBLICKEY");
        assertThat(helpers).contains("secretKeyRef:");
    }

    @Test
    void bothDeploymentsProbeTheActuatorAndRunAsNonRootWithAReadOnlyRootFilesystem() {
        Map<String, Object> values = Chart.values();
        for (String component : List.of("engine", "workers")) {
            String deployment = Chart.read(Chart.TEMPLATES.resolve(component + "-deployment.yaml"));

            assertThat(deployment)
                    .contains(
                            "path: /actuator/health/liveness",
                            "path: /actuator/health/readiness",
                            "startupProbe:",
                            "serviceAccountName:");
            assertThat(Chart.at(values, component + ".podSecurityContext.runAsNonRoot"))
                    .isEqualTo(true);
            assertThat(Chart.at(values, component + ".securityContext.readOnlyRootFilesystem"))
                    .isEqualTo(true);
        }
        assertThat(helpers).contains("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED");
    }

    @Test
    void theFacteurValuesAreKeysOfTheReadmeConfigurationTable() {
        String readme = Chart.read(Chart.ROOT.resolve("README.md"));
        List<String> leaves = new ArrayList<>();
        leaves("facteur", Chart.map(Chart.values().get("facteur")), leaves);

        assertThat(leaves)
                .isNotEmpty()
                .allSatisfy(key -> assertThat(readme).containsAnyOf("`" + key + "`", "`" + key + "."));
    }

    @Test
    void theAlertRulesAndTheDashboardParse() {
        for (String file : List.of("engine-rules.yaml", "workers-rules.yaml")) {
            List<Object> rules = Chart.list(
                    new org.yaml.snakeyaml.Yaml().load(Chart.read(Chart.DIR.resolve("files/prometheus/" + file))));
            assertThat(rules)
                    .isNotEmpty()
                    .allSatisfy(
                            rule -> assertThat(Chart.map(rule)).containsKeys("alert", "expr", "labels", "annotations"));
        }
        String dashboard = Chart.read(Chart.DIR.resolve("files/dashboards/facteur.json"));
        assertThat(Chart.list(
                        Chart.map(new org.yaml.snakeyaml.Yaml().load(dashboard)).get("panels")))
                .hasSizeGreaterThan(5);
    }

    /** The ServiceAccount markers a subject name stands for: itself, or the accounts its helper chooses between. */
    private Set<String> accountsNamedBy(String marker) {
        Matcher helper = Pattern.compile("«include '([^']+)' \\.»").matcher(marker);
        if (!helper.matches()) {
            return Set.of(marker);
        }
        String name = helper.group(1);
        if (name.equals("facteur.engine.serviceAccountName") || name.equals("facteur.workers.serviceAccountName")) {
            return Set.of(marker);
        }
        int start = helpers.indexOf("define \"" + name + "\"");
        String body = helpers.substring(start, helpers.indexOf("{{- end }}\n\n", start));
        Set<String> chosen = new LinkedHashSet<>();
        matches(INCLUDE, body).forEach(included -> chosen.add(Chart.marker("include \"" + included + "\" .")));
        return chosen;
    }

    private List<String> sources() {
        List<String> sources = new ArrayList<>();
        sources.add(helpers);
        Chart.templates().forEach(template -> sources.add(Chart.read(template)));
        sources.add(Chart.read(Chart.TEMPLATES.resolve("NOTES.txt")));
        return sources;
    }

    private static boolean declared(Map<String, Object> values, String path) {
        Object current = values;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return false;
            }
            current = map.get(key);
        }
        return true;
    }

    private static void leaves(String prefix, Map<String, Object> values, List<String> out) {
        values.forEach((key, value) -> {
            if (value instanceof Map<?, ?> map && !map.isEmpty()) {
                leaves(prefix + "." + key, Chart.map(value), out);
            } else {
                out.add(prefix + "." + key);
            }
        });
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
