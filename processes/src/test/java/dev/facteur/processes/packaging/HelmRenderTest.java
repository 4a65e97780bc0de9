package dev.facteur.processes.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart as Helm renders it, when a helm binary is at hand ($HELM, else helm on the PATH); skipped
 * otherwise, the static tests (HelmTemplatesTest, HelmValuesTest) then stand alone. Renders the
 * defaults and every option switched on, and checks the identities end to end: every account and
 * Role a manifest names is rendered, the engine holds no Kubernetes rights, the workers hold exactly
 * the Workflow rules in the Argo namespace, and each stage template runs under its own account.
 */
class HelmRenderTest {

    private static final Path ALL_FEATURES = Path.of("src/test/resources/packaging/all-features-values.yaml").toAbsolutePath();

    private static Path helm;

    record Result(int exit, String output) {
    }

    @BeforeAll
    static void findHelm() {
        helm = locateHelm().orElse(null);
    }

    @Test
    void helmLintPassesStrictlyWithTheDefaultsAndWithEveryOptionOn() {
        assertThat(run("lint", "--strict", Chart.DIR.toString()).exit()).isZero();
        assertThat(run("lint", "--strict", Chart.DIR.toString(), "-f", ALL_FEATURES.toString()).exit()).isZero();
    }

    @Test
    void theDefaultsRenderTwoEnginesWithoutKubernetesRightsAndWorkersBoundToTheWorkflowRules() {
        List<Map<String, Object>> manifests = render();
        assertReferencesResolve(manifests);

        Map<String, Object> engine = named(manifests, "Deployment", "facteur-engine");
        assertThat((Integer) Chart.at(engine, "spec.replicas")).isGreaterThanOrEqualTo(2);
        assertThat(Chart.at(engine, "spec.template.spec.automountServiceAccountToken")).isEqualTo(false);
        assertThat(subjects(manifests)).doesNotContain("facteur/facteur-engine");

        Map<String, Object> role = named(manifests, "Role", "facteur-argo-executor");
        assertThat(Chart.text(role, "metadata.namespace")).isEqualTo("argo-workflows");
        Map<String, Object> orchestrator = Chart.documents(Chart.read(Chart.ARGO.resolve("rbac/facteur-orchestrator-rbac.yaml")))
                .get(0);
        assertThat(Chart.at(role, "rules")).isEqualTo(Chart.at(orchestrator, "rules"));
        assertThat(subjects(manifests)).containsExactly("facteur/facteur-workers");
        assertThat(kinds(manifests)).doesNotContain("Secret", "WorkflowTemplate", "ClusterPolicy", "ClusterRole");
    }

    @Test
    void everyOptionOnInstallsTheStageAccountsTemplatesPolicyAndMonitoring() {
        List<Map<String, Object>> manifests = render("-f", ALL_FEATURES.toString());
        assertReferencesResolve(manifests);

        assertThat(kinds(manifests)).contains("Ingress", "ServiceMonitor", "PrometheusRule", "NetworkPolicy",
                "HorizontalPodAutoscaler", "PodDisruptionBudget", "ClusterPolicy", "ClusterRole").doesNotContain("Secret");
        List<Map<String, Object>> templates = ofKind(manifests, "WorkflowTemplate");
        assertThat(templates).hasSize(6).allSatisfy(template -> {
            assertThat(Chart.text(template, "metadata.namespace")).isEqualTo("argo");
            assertThat(Chart.text(template, "spec.serviceAccountName"))
                    .isEqualTo("facteur-stage-" + Chart.map(Chart.at(template, "metadata.labels")).get("codex.stage"));
            assertThat(Chart.text(template, "spec.templates")).contains("registry.acme.test/codex-universal:2025.11");
        });
        assertThat(ofKind(manifests, "RoleBinding").stream()
                .filter(binding -> "facteur-stage-deployer".equals(Chart.text(binding, "roleRef.name")))
                .map(binding -> Chart.text(binding, "metadata.namespace")).toList()).containsExactlyInAnyOrder("shop", "billing");
        assertThat(subjects(manifests)).contains("argo/facteur-stage-deploy").doesNotContain("facteur/facteur-engine");
        assertThat(Chart.text(ofKind(manifests, "ClusterPolicy").get(0), "spec")).contains("namespaces=[argo]");
    }

    @Test
    void engineRunningTheWorkersInProcessGetsTheWorkflowRulesItself() {
        List<Map<String, Object>> manifests = render("--set", "workers.enabled=false");
        assertReferencesResolve(manifests);

        assertThat(ofKind(manifests, "Deployment")).extracting(Chart::name).containsExactly("facteur-engine");
        assertThat(subjects(manifests)).containsExactly("facteur/facteur-engine");
        Map<String, Object> engine = named(manifests, "Deployment", "facteur-engine");
        assertThat(Chart.at(engine, "spec.template.spec.automountServiceAccountToken")).isEqualTo(true);
        assertThat(Chart.text(engine, "spec.template.spec.containers"))
                .contains("name=FACTEUR_WORKERS_ENABLED, value=true", "name=FACTEUR_EXECUTOR_TYPE, value=argo");
    }

    @Test
    void everyRenderedManifestBindsToItsKubernetesModelWithoutUnknownFields() {
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<String> problems = new ArrayList<>();
        for (String[] options : List.of(new String[0], new String[] {"-f", ALL_FEATURES.toString()})) {
            for (Map<String, Object> manifest : render(options)) {
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
        Result typo = run("template", "facteur", Chart.DIR.toString(), "--set", "replicaCount=3");
        Result inline = run("template", "facteur", Chart.DIR.toString(), "--set", "admin.password=hunter2");

        assertThat(typo.exit()).isNotZero();
        assertThat(typo.output()).contains("replicaCount");
        assertThat(inline.exit()).isNotZero();
    }

    private static void assertReferencesResolve(List<Map<String, Object>> manifests) {
        Set<String> accounts = new LinkedHashSet<>();
        Set<String> roles = new LinkedHashSet<>();
        for (Map<String, Object> manifest : manifests) {
            assertThat(Chart.text(manifest, "apiVersion")).isNotBlank();
            assertThat(Chart.name(manifest)).isNotBlank();
            switch (Chart.kind(manifest)) {
                case "ServiceAccount" -> accounts.add(Chart.text(manifest, "metadata.namespace") + "/" + Chart.name(manifest));
                case "Role" -> roles.add("Role " + Chart.text(manifest, "metadata.namespace") + "/" + Chart.name(manifest));
                case "ClusterRole" -> roles.add("ClusterRole " + Chart.name(manifest));
                default -> { }
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
                assertThat(roles).as("roleRef of %s", Chart.name(manifest)).contains(role + Chart.text(manifest, "roleRef.name"));
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
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
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
        ofKind(manifests, "RoleBinding").forEach(binding -> Chart.list(Chart.at(binding, "subjects")).forEach(subject ->
                subjects.add(Chart.text(Chart.map(subject), "namespace") + "/" + Chart.text(Chart.map(subject), "name"))));
        return subjects.stream().distinct().toList();
    }

    private static List<Map<String, Object>> render(String... options) {
        List<String> arguments = new ArrayList<>(List.of("template", "facteur", Chart.DIR.toString(), "--namespace", "facteur"));
        arguments.addAll(List.of(options));
        Result result = run(arguments.toArray(String[]::new));
        assertThat(result.exit()).as(result.output()).isZero();
        return Chart.documents(result.output());
    }

    private static Result run(String... arguments) {
        assumeTrue(helm != null, "no helm binary ($HELM or helm on the PATH): the static chart tests stand alone");
        List<String> command = new ArrayList<>(List.of(helm.toString()));
        command.addAll(List.of(arguments));
        try {
            Path output = Files.createTempFile("helm", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("helm finished").isTrue();
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            return new Result(process.exitValue(), text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Path> locateHelm() {
        String configured = System.getenv("HELM");
        if (configured != null && !configured.isBlank() && Files.isExecutable(Path.of(configured))) {
            return Optional.of(Path.of(configured));
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.of(path.split(File.pathSeparator)).map(folder -> Path.of(folder, "helm"))
                .filter(Files::isExecutable).findFirst();
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> manifests, String kind) {
        return manifests.stream().filter(manifest -> kind.equals(Chart.kind(manifest))).toList();
    }

    private static Map<String, Object> named(List<Map<String, Object>> manifests, String kind, String name) {
        return ofKind(manifests, kind).stream().filter(manifest -> name.equals(Chart.name(manifest))).findFirst().orElseThrow();
    }

    private static Set<String> kinds(List<Map<String, Object>> manifests) {
        Set<String> kinds = new LinkedHashSet<>();
        manifests.forEach(manifest -> kinds.add(Chart.kind(manifest)));
        return kinds;
    }
}
