package dev.facteur.processes.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart as Helm renders it: Helm's own Go library through helm-java (Maven Central, native for
 * linux-amd64), so it runs in every build with no helm binary. Lints strictly and renders the defaults, the
 * production values and every option switched on, and checks the identities end to end: every account and
 * Role a manifest names is rendered, the engine holds no Kubernetes rights, the workers hold exactly
 * the Workflow rules in the Argo namespace, and each stage template runs under its own account.
 */
class HelmRenderTest {

    private static final Path ALL_FEATURES =
            Path.of("src/test/resources/packaging/all-features-values.yaml").toAbsolutePath();

    private static Path renderable;

    private static final Path PRODUCTION =
            Path.of("src/test/resources/packaging/production-values.yaml").toAbsolutePath();

    @Test
    void helmLintPassesStrictlyWithTheDefaultsTheProductionValuesAndEveryOptionOn() throws IOException {
        for (Path[] values : List.of(new Path[0], new Path[] {PRODUCTION}, new Path[] {ALL_FEATURES})) {
            LintResult lint = lintStrict(values);
            assertThat(lint.isFailed())
                    .as("helm lint --strict %s: %s", List.of(values), lint.getMessages())
                    .isFalse();
            assertThat(lint.getMessages())
                    .as("lint messages")
                    .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
        }
    }

    @Test
    void noTemplateDependsOnTheClusterVersionSoTheRenderedCopyStandsForTheChart() throws IOException {
        try (Stream<Path> files = Files.walk(Chart.TEMPLATES)) {
            assertThat(files.filter(Files::isRegularFile).toList())
                    .isNotEmpty()
                    .allSatisfy(template -> assertThat(Chart.read(template)).doesNotContain(".Capabilities"));
        }
        assertThat(Chart.read(Chart.DIR.resolve("Chart.yaml"))).contains("kubeVersion: \">=1.27.0-0\"");
    }

    @Test
    void theProductionValuesRenderPinnedImagesSecretsByReferenceAndTheIngressWithTls() {
        List<Map<String, Object>> manifests = render(PRODUCTION);
        assertReferencesResolve(manifests);

        Map<String, Object> engine = named(manifests, "Deployment", "facteur-engine");
        assertThat((Integer) Chart.at(engine, "spec.replicas")).isEqualTo(3);
        assertThat(Chart.text(engine, "spec.template.spec.containers"))
                .contains("registry.acme.internal/facteur/facteur-engine:1.4.2", "secretKeyRef", "facteur-database");
        assertThat(Chart.text(named(manifests, "Ingress", "facteur-engine"), "spec.tls"))
                .contains("facteur-tls");
        assertThat(Chart.text(named(manifests, "HorizontalPodAutoscaler", "facteur-workers"), "spec.maxReplicas"))
                .isEqualTo("12");
        assertThat(kinds(manifests)).doesNotContain("Secret");
    }

    @Test
    void theDefaultsRenderTwoEnginesWithoutKubernetesRightsAndWorkersBoundToTheWorkflowRules() {
        List<Map<String, Object>> manifests = render();
        assertReferencesResolve(manifests);

        Map<String, Object> engine = named(manifests, "Deployment", "facteur-engine");
        assertThat((Integer) Chart.at(engine, "spec.replicas")).isGreaterThanOrEqualTo(2);
        assertThat(Chart.at(engine, "spec.template.spec.automountServiceAccountToken"))
                .isEqualTo(false);
        assertThat(subjects(manifests)).doesNotContain("facteur/facteur-engine");

        Map<String, Object> role = named(manifests, "Role", "facteur-argo-executor");
        assertThat(Chart.text(role, "metadata.namespace")).isEqualTo("argo-workflows");
        Map<String, Object> orchestrator = Chart.documents(
                        Chart.read(Chart.ARGO.resolve("rbac/facteur-orchestrator-rbac.yaml")))
                .get(0);
        assertThat(Chart.at(role, "rules")).isEqualTo(Chart.at(orchestrator, "rules"));
        assertThat(subjects(manifests)).containsExactly("facteur/facteur-workers");
        assertThat(kinds(manifests)).doesNotContain("Secret", "WorkflowTemplate", "ClusterPolicy", "ClusterRole");
    }

    @Test
    void everyOptionOnInstallsTheStageAccountsTemplatesPolicyAndMonitoring() {
        List<Map<String, Object>> manifests = render(ALL_FEATURES);
        assertReferencesResolve(manifests);

        assertThat(kinds(manifests))
                .contains(
                        "Ingress",
                        "ServiceMonitor",
                        "PrometheusRule",
                        "NetworkPolicy",
                        "HorizontalPodAutoscaler",
                        "PodDisruptionBudget",
                        "ClusterPolicy",
                        "ClusterRole")
                .doesNotContain("Secret");
        List<Map<String, Object>> templates = ofKind(manifests, "WorkflowTemplate");
        assertThat(templates).hasSize(6).allSatisfy(template -> {
            assertThat(Chart.text(template, "metadata.namespace")).isEqualTo("argo");
            assertThat(Chart.text(template, "spec.serviceAccountName"))
                    .isEqualTo("facteur-stage-"
                            + Chart.map(Chart.at(template, "metadata.labels")).get("codex.stage"));
            String stage = Chart.map(Chart.at(template, "metadata.labels"))
                    .get("codex.stage")
                    .toString();
            assertThat(Chart.text(template, "spec.templates"))
                    .contains(
                            List.of("planning", "implementation", "review").contains(stage)
                                    ? "registry.acme.test/facteur-agent:2025.12"
                                    : "registry.acme.test/codex-universal:2025.11");
        });
        assertThat(ofKind(manifests, "RoleBinding").stream()
                        .filter(binding -> "facteur-stage-deployer".equals(Chart.text(binding, "roleRef.name")))
                        .map(binding -> Chart.text(binding, "metadata.namespace"))
                        .toList())
                .containsExactlyInAnyOrder("shop", "billing");
        assertThat(subjects(manifests)).contains("argo/facteur-stage-deploy").doesNotContain("facteur/facteur-engine");
        assertThat(Chart.text(ofKind(manifests, "ClusterPolicy").get(0), "spec"))
                .contains("namespaces=[argo]");
    }

    @Test
    void engineRunningTheWorkersInProcessGetsTheWorkflowRulesItself() {
        List<Map<String, Object>> manifests = render(new Path[0], "workers.enabled=false");
        assertReferencesResolve(manifests);

        assertThat(ofKind(manifests, "Deployment")).extracting(Chart::name).containsExactly("facteur-engine");
        assertThat(subjects(manifests)).containsExactly("facteur/facteur-engine");
        Map<String, Object> engine = named(manifests, "Deployment", "facteur-engine");
        assertThat(Chart.at(engine, "spec.template.spec.automountServiceAccountToken"))
                .isEqualTo(true);
        assertThat(Chart.text(engine, "spec.template.spec.containers"))
                .contains("name=FACTEUR_WORKERS_ENABLED, value=true", "name=FACTEUR_EXECUTOR_TYPE, value=argo");
    }

    @Test
    void everyRenderedManifestBindsToItsKubernetesModelWithoutUnknownFields() {
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<String> problems = new ArrayList<>();
        for (Path[] values : List.of(new Path[0], new Path[] {PRODUCTION}, new Path[] {ALL_FEATURES})) {
            for (Map<String, Object> manifest : render(values)) {
                Object typed = serialization.unmarshal(new org.yaml.snakeyaml.Yaml().dump(manifest));
                if (!(typed instanceof GenericKubernetesResource)) { // CRDs (Argo, Kyverno, Prometheus) stay generic
                    unknownFields(typed, Chart.kind(manifest) + " " + Chart.name(manifest), problems);
                }
            }
        }

        assertThat(problems).as("fields the Kubernetes API does not know").isEmpty();
    }

    @Test
    void helmRefusesValuesTheSchemaRejects() {
        assertThatThrownBy(() -> template(new Path[0], "replicaCount=3")).hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> template(new Path[0], "admin.password=hunter2"))
                .hasMessageContaining("password");
    }

    private static void assertReferencesResolve(List<Map<String, Object>> manifests) {
        Set<String> accounts = new LinkedHashSet<>();
        Set<String> roles = new LinkedHashSet<>();
        for (Map<String, Object> manifest : manifests) {
            assertThat(Chart.text(manifest, "apiVersion")).isNotBlank();
            assertThat(Chart.name(manifest)).isNotBlank();
            switch (Chart.kind(manifest)) {
                case "ServiceAccount" ->
                    accounts.add(Chart.text(manifest, "metadata.namespace") + "/" + Chart.name(manifest));
                case "Role" ->
                    roles.add("Role " + Chart.text(manifest, "metadata.namespace") + "/" + Chart.name(manifest));
                case "ClusterRole" -> roles.add("ClusterRole " + Chart.name(manifest));
                default -> {}
            }
        }
        for (Map<String, Object> manifest : manifests) {
            String namespace = Chart.text(manifest, "metadata.namespace");
            String podAccount = switch (Chart.kind(manifest)) {
                case "Deployment" -> Chart.text(manifest, "spec.template.spec.serviceAccountName");
                case "Pod" -> Chart.text(manifest, "spec.serviceAccountName");
                case "WorkflowTemplate" -> Chart.text(manifest, "spec.serviceAccountName");
                default -> null;
            };
            if (podAccount != null) {
                assertThat(accounts).as("account of %s", Chart.name(manifest)).contains(namespace + "/" + podAccount);
            }
            if ("RoleBinding".equals(Chart.kind(manifest))) {
                String kind = Chart.text(manifest, "roleRef.kind");
                String role = kind.equals("Role") ? "Role " + namespace + "/" : "ClusterRole ";
                assertThat(roles)
                        .as("roleRef of %s", Chart.name(manifest))
                        .contains(role + Chart.text(manifest, "roleRef.name"));
                for (Object subject : Chart.list(Chart.at(manifest, "subjects"))) {
                    Map<String, Object> account = Chart.map(subject);
                    assertThat(accounts).contains(Chart.text(account, "namespace") + "/" + Chart.text(account, "name"));
                }
            }
        }
    }

    /** Walks a fabric8 model object and reports every field it kept as an unknown (additional) property. */
    private static void unknownFields(Object object, String path, List<String> problems) {
        if (object instanceof Collection<?> items) {
            items.forEach(item -> unknownFields(item, path + "[]", problems));
            return;
        }
        if (object instanceof Map<?, ?> map) {
            map.forEach((key, value) -> unknownFields(value, path + "." + key, problems));
            return;
        }
        if (object == null || !object.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : object.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || !getter.getName().startsWith("get")
                    || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(object);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": " + extra.keySet());
                }
            } else {
                unknownFields(value, path + "." + getter.getName().substring(3), problems);
            }
        }
    }

    private static List<String> subjects(List<Map<String, Object>> manifests) {
        List<String> subjects = new ArrayList<>();
        ofKind(manifests, "RoleBinding")
                .forEach(binding -> Chart.list(Chart.at(binding, "subjects"))
                        .forEach(subject -> subjects.add(Chart.text(Chart.map(subject), "namespace") + "/"
                                + Chart.text(Chart.map(subject), "name"))));
        return subjects.stream().distinct().toList();
    }

    /** {@code helm template facteur helm/facteur --namespace facteur} with values files and {@code --set}s. */
    private static List<Map<String, Object>> render(Path[] valuesFiles, String... sets) {
        return Chart.documents(template(valuesFiles, sets));
    }

    private static List<Map<String, Object>> render(Path... valuesFiles) {
        return render(valuesFiles, new String[0]);
    }

    /**
     * helm-java 0.0.15 renders for Kubernetes v1.20.0 and takes no --kube-version, so it refuses the chart's
     * {@code kubeVersion: >=1.27.0-0}: templates are rendered from a copy without that line. No template reads
     * {@code .Capabilities} (asserted below), so the manifests are those Helm renders for a 1.27+ cluster.
     */
    private static String template(Path[] valuesFiles, String... sets) {
        TemplateCommand template =
                new Helm(renderable()).template().withName("facteur").withNamespace("facteur");
        for (Path valuesFile : valuesFiles) {
            template.withValuesFile(valuesFile);
        }
        for (String set : sets) {
            int equals = set.indexOf('=');
            template.set(set.substring(0, equals), set.substring(equals + 1));
        }
        return template.call();
    }

    /**
     * {@code helm lint --strict}, with the values files over the chart's defaults. The library's lint takes no
     * values file, so a copy of the chart whose values.yaml holds the merged values is linted instead.
     */
    private static LintResult lintStrict(Path... valuesFiles) throws IOException {
        if (valuesFiles.length == 0) {
            return new Helm(Chart.DIR).lint().strict().call();
        }
        Path copy = copyOfChart();
        Map<String, Object> values = Chart.values();
        for (Path valuesFile : valuesFiles) {
            values = merged(values, Chart.documents(Chart.read(valuesFile)).get(0));
        }
        Files.writeString(copy.resolve("values.yaml"), new org.yaml.snakeyaml.Yaml().dump(values));
        return new Helm(copy).lint().strict().call();
    }

    private static synchronized Path renderable() {
        if (renderable == null) {
            try {
                renderable = copyOfChart();
                Path chart = renderable.resolve("Chart.yaml");
                String withoutKubeVersion = Files.readString(chart).replaceAll("(?m)^kubeVersion:.*\\n", "");
                assertThat(withoutKubeVersion).isNotEqualTo(Files.readString(chart));
                Files.writeString(chart, withoutKubeVersion);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return renderable;
    }

    private static Path copyOfChart() throws IOException {
        Path copy = Files.createTempDirectory("facteur-chart").resolve("facteur");
        try (Stream<Path> files = Files.walk(Chart.DIR)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(Chart.DIR.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }

    /** Helm's coalescing of values: maps merge key by key, anything else from the later file wins. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> merged(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> result = new LinkedHashMap<>(base);
        over.forEach((key, value) -> result.merge(
                key,
                value,
                (was, now) -> was instanceof Map && now instanceof Map
                        ? merged((Map<String, Object>) was, (Map<String, Object>) now)
                        : now));
        return result;
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> manifests, String kind) {
        return manifests.stream()
                .filter(manifest -> kind.equals(Chart.kind(manifest)))
                .toList();
    }

    private static Map<String, Object> named(List<Map<String, Object>> manifests, String kind, String name) {
        return ofKind(manifests, kind).stream()
                .filter(manifest -> name.equals(Chart.name(manifest)))
                .findFirst()
                .orElseThrow();
    }

    private static Set<String> kinds(List<Map<String, Object>> manifests) {
        Set<String> kinds = new LinkedHashSet<>();
        manifests.forEach(manifest -> kinds.add(Chart.kind(manifest)));
        return kinds;
    }
}
