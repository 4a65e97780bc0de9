package dev.facteur.connectors.argo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pins the argo/ folder to what the executor sends: every parameter of a stage's Workflow is declared
 * by the template it references, and the templates' accounts, labels and policy agree with argo/rbac.
 * Surefire runs in the module folder, so argo/ is one level up.
 */
class ArgoManifestsTest {

    private static final Path ARGO = Path.of("..", "argo");
    private static final Map<Stage, String> ENTRYPOINTS = Map.of(
            Stage.PLANNING,
            "plan",
            Stage.IMPLEMENTATION,
            "implement",
            Stage.REVIEW,
            "review",
            Stage.INTEGRATION,
            "integrate",
            Stage.DEPLOY,
            "deploy",
            Stage.MONITOR,
            "monitor");

    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final ArgoExecutorSettings settings = ArgoExecutorSettings.defaults(new ObjectMapper());

    @ParameterizedTest
    @EnumSource(value = Stage.class, mode = EnumSource.Mode.EXCLUDE, names = "CUSTOM") // brings its own template
    void theTemplateOfEachStageDeclaresEveryParameterTheExecutorSends(Stage stage) throws IOException {
        JsonNode template = template(stage);
        StageRequest request = new StageRequest(
                "idea-1", "task-1", stage, 1, "acme/shop", "facteur/idea-1", new ObjectMapper().createObjectNode());

        Map<String, JsonNode> declared = new HashMap<>();
        template.path("spec")
                .path("arguments")
                .path("parameters")
                .forEach(parameter -> declared.put(parameter.path("name").asText(), parameter));
        assertThat(declared)
                .containsKeys(new WorkflowManifest(settings)
                        .parameters(request)
                        .keySet()
                        .toArray(String[]::new));
        declared.values()
                .forEach(parameter -> assertThat(parameter.path("description").asText())
                        .as(
                                "description of parameter %s",
                                parameter.path("name").asText())
                        .isNotBlank());
        assertThat(declared.get("head").path("value").asText()).isEmpty();
        assertThat(declared.get("taskId").path("value").asText()).isEmpty();
        assertThat(declared.get("base").path("value").asText()).isEqualTo("main");
    }

    @ParameterizedTest
    @EnumSource(value = Stage.class, mode = EnumSource.Mode.EXCLUDE, names = "CUSTOM") // brings its own template
    void eachTemplateIsSelfDescribingAndReportsTheResultTheExecutorReads(Stage stage) throws IOException {
        JsonNode template = template(stage);
        JsonNode metadata = template.path("metadata");
        JsonNode spec = template.path("spec");

        assertThat(template.path("kind").asText()).isEqualTo("WorkflowTemplate");
        assertThat(metadata.path("name").asText()).isEqualTo(settings.templateFor(stage));
        assertThat(metadata.path("annotations")
                        .path("workflows.argoproj.io/description")
                        .asText())
                .isNotBlank();
        assertThat(metadata.path("labels").path("codex.stage").asText()).isEqualTo(stage.id());
        assertThat(spec.path("podMetadata").path("labels").path("codex.stage").asText())
                .isEqualTo(stage.id());
        assertThat(spec.path("entrypoint").asText()).isEqualTo(ENTRYPOINTS.get(stage));

        JsonNode entrypoint = entrypoint(spec);
        assertThat(entrypoint
                        .path("metadata")
                        .path("labels")
                        .path("codex.stage")
                        .asText())
                .isEqualTo(stage.id());
        assertThat(entrypoint.path("retryStrategy").isObject()).isTrue();
        JsonNode result = entrypoint.path("outputs").path("parameters").get(0);
        assertThat(result.path("name").asText()).isEqualTo(WorkflowOutcome.RESULT);
        assertThat(result.path("globalName").asText()).isEqualTo(WorkflowOutcome.RESULT);
        assertThat(result.path("valueFrom").path("path").asText()).isEqualTo("/tmp/facteur/result.json");

        JsonNode container = entrypoint.path("container");
        // a coding agent's stage runs the stage runner's image (agent/Dockerfile); the others the seed's
        boolean agentStage =
                EnumSet.of(Stage.PLANNING, Stage.IMPLEMENTATION, Stage.REVIEW).contains(stage);
        assertThat(container.path("image").asText()).startsWith(agentStage ? "facteur-agent" : "codex-universal");
        assertThat(container.path("command").get(0).asText())
                .isEqualTo(agentStage ? "facteur-agent" : "codex-bootstrap");
        assertThat(container.path("securityContext").path("privileged").asBoolean())
                .isFalse();
        assertThat(container.path("volumeMounts")).anySatisfy(mount -> {
            assertThat(mount.path("mountPath").asText()).isEqualTo("/var/lib/docker");
            assertThat(mount.path("readOnly").asBoolean()).isTrue();
        });
        JsonNode dind = entrypoint.path("sidecars").get(0);
        assertThat(dind.path("image").asText()).isEqualTo("docker:25.0-dind-rootless");
        assertThat(dind.path("command").get(0).asText()).isEqualTo("dockerd-rootless.sh");
        assertThat(dind.path("securityContext").path("privileged").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Stage.class, mode = EnumSource.Mode.EXCLUDE, names = "CUSTOM")
    void theStagePodsDockerDaemonAnswersOnItsLoopbackOnlyAndNoFacteurSecretReachesThePod(Stage stage)
            throws IOException {
        JsonNode entrypoint = entrypoint(template(stage).path("spec"));
        JsonNode container = entrypoint.path("container");
        JsonNode dind = entrypoint.path("sidecars").get(0);
        List<String> args = new java.util.ArrayList<>();
        dind.path("args").forEach(arg -> args.add(arg.asText()));

        assertThat(String.join(" ", args))
                .contains("--host tcp://127.0.0.1:2375")
                .contains("--data-root /var/lib/docker")
                .doesNotContain("0.0.0.0");
        assertThat(dind.path("ports").isMissingNode())
                .as("no port of the daemon is exposed")
                .isTrue();
        assertThat(dind.path("volumeMounts")).anySatisfy(mount -> {
            assertThat(mount.path("mountPath").asText()).isEqualTo("/var/lib/docker");
            assertThat(mount.path("readOnly").asBoolean()).isFalse();
        });
        // any non-empty DOCKER_TLS_VERIFY turns TLS on in the docker CLI, "0" included
        assertThat(container.path("env").findValuesAsText("name")).doesNotContain("DOCKER_TLS_VERIFY");
        // the stage gets its own tools' credentials, never the engine's database, admin or workers' secrets
        String pod = entrypoint.toString() + template(stage).path("spec").path("volumes");
        assertThat(container.findValues("secretRef"))
                .extracting(ref -> ref.path("name").asText())
                .containsOnly("codex-credentials");
        assertThat(pod)
                .doesNotContain("secretKeyRef")
                .doesNotContain("\"secret\"")
                .doesNotContain("SPRING_DATASOURCE")
                .doesNotContain("FACTEUR_ADMIN")
                .doesNotContain("FACTEUR_WORKERS")
                .doesNotContain("FACTEUR_GITHUB_TOKEN")
                .doesNotContain("facteur-workers")
                .doesNotContain("facteur-admin");
        // a stage that writes nothing reports a failure, not an empty result
        JsonNode fallback = new ObjectMapper()
                .readTree(entrypoint
                        .path("outputs")
                        .path("parameters")
                        .get(0)
                        .path("valueFrom")
                        .path("default")
                        .asText());
        assertThat(fallback.path("status").asText()).isEqualTo("FAILED");
    }

    @Test
    void aNetworkPolicyAdmitsNoIngressToStagePods() throws IOException {
        JsonNode policy = yaml(ARGO.resolve("policy/stage-network-policy.yaml"));

        assertThat(policy.path("kind").asText()).isEqualTo("NetworkPolicy");
        assertThat(policy.path("metadata").path("namespace").asText())
                .isEqualTo(ArgoExecutorSettings.DEFAULT_NAMESPACE);
        JsonNode selector =
                policy.path("spec").path("podSelector").path("matchExpressions").get(0);
        assertThat(selector.path("key").asText()).isEqualTo("codex.stage");
        assertThat(selector.path("operator").asText()).isEqualTo("Exists");
        assertThat(policy.path("spec").path("policyTypes").get(0).asText()).isEqualTo("Ingress");
        assertThat(policy.path("spec").path("ingress").isArray()).isTrue();
        assertThat(policy.path("spec").path("ingress")).isEmpty();
        for (Stage stage : Stage.builtIn()) {
            assertThat(template(stage)
                            .path("spec")
                            .path("podMetadata")
                            .path("labels")
                            .has("codex.stage"))
                    .isTrue();
        }
    }

    @Test
    void everyTemplateRunsUnderItsOwnStageAccountDefinedInRbacAndAdmittedByThePolicy() throws IOException {
        Set<String> accounts = rbac().stream()
                .filter(ServiceAccount.class::isInstance)
                .map(resource -> resource.getMetadata().getName())
                .collect(Collectors.toSet());
        Set<String> used = new HashSet<>();
        for (Stage stage : Stage.builtIn()) {
            String account =
                    template(stage).path("spec").path("serviceAccountName").asText();
            assertThat(account).isEqualTo("facteur-stage-" + stage.id());
            assertThat(accounts).contains(account);
            used.add(account);
        }
        JsonNode pattern = yaml(ARGO.resolve("policy/codex-docker-policy.yaml"))
                .path("spec")
                .path("rules")
                .get(0)
                .path("validate")
                .path("pattern");
        Set<String> admitted = Arrays.stream(
                        pattern.path("spec").path("serviceAccountName").asText().split("\\|"))
                .map(String::strip)
                .collect(Collectors.toSet());
        assertThat(admitted).isEqualTo(used);
        assertThat(pattern.path("metadata").path("labels").path("codex.stage").asText())
                .isEqualTo("?*");
    }

    @Test
    void onlyTheDeployStageMayTouchDeploymentsAndNoStageReadsSecrets() throws IOException {
        List<HasMetadata> rbac = rbac();
        Map<String, List<PolicyRule>> roles = new HashMap<>();
        rbac.stream()
                .filter(Role.class::isInstance)
                .map(Role.class::cast)
                .forEach(role -> roles.put("Role/" + role.getMetadata().getName(), role.getRules()));
        rbac.stream()
                .filter(ClusterRole.class::isInstance)
                .map(ClusterRole.class::cast)
                .forEach(role -> roles.put("ClusterRole/" + role.getMetadata().getName(), role.getRules()));
        Map<String, Set<String>> resourcesByAccount = new HashMap<>();
        rbac.stream()
                .filter(RoleBinding.class::isInstance)
                .map(RoleBinding.class::cast)
                .forEach(binding -> {
                    List<PolicyRule> rules = roles.get(binding.getRoleRef().getKind() + "/"
                            + binding.getRoleRef().getName());
                    assertThat(rules)
                            .as("role of binding %s", binding.getMetadata().getName())
                            .isNotNull();
                    binding.getSubjects()
                            .forEach(subject -> rules.forEach(rule -> {
                                assertThat(rule.getVerbs()).doesNotContain("*");
                                resourcesByAccount
                                        .computeIfAbsent(subject.getName(), key -> new HashSet<>())
                                        .addAll(rule.getResources());
                            }));
                });

        for (Stage stage : Stage.builtIn()) {
            Set<String> resources = resourcesByAccount.get("facteur-stage-" + stage.id());
            assertThat(resources)
                    .as(stage.id())
                    .contains("workflowtaskresults", "pods/log")
                    .doesNotContain("secrets");
            if (stage == Stage.DEPLOY) {
                assertThat(resources).contains("deployments");
            } else {
                assertThat(resources).as(stage.id()).doesNotContain("deployments");
            }
        }
    }

    @Test
    void theTemplatesFolderHoldsExactlyOneTemplatePerStage() throws IOException {
        Set<String> expected = Stage.builtIn().stream()
                .map(stage -> settings.templateFor(stage) + ".yaml")
                .collect(Collectors.toSet());
        try (Stream<Path> files = Files.list(ARGO.resolve("templates"))) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(ARGO.resolve("README.md")).isRegularFile();
    }

    private JsonNode template(Stage stage) throws IOException {
        return yaml(ARGO.resolve("templates").resolve(settings.templateFor(stage) + ".yaml"));
    }

    private static JsonNode entrypoint(JsonNode spec) {
        for (JsonNode template : spec.path("templates")) {
            if (template.path("name").asText().equals(spec.path("entrypoint").asText())) {
                return template;
            }
        }
        throw new AssertionError(
                "entrypoint template " + spec.path("entrypoint").asText() + " is missing");
    }

    /** A custom resource (WorkflowTemplate, ClusterPolicy) as fabric8 reads it: a generic resource. */
    private JsonNode yaml(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            GenericKubernetesResource resource = serialization.unmarshal(in, GenericKubernetesResource.class);
            return serialization.convertValue(resource, JsonNode.class);
        }
    }

    /** Every object of every file in argo/rbac, typed (ServiceAccount, Role, ...) by fabric8. */
    private List<HasMetadata> rbac() throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(ARGO.resolve("rbac"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".yaml"))
                    .sorted()
                    .toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    Object parsed = serialization.unmarshal(in);
                    if (parsed instanceof List<?> list) {
                        list.forEach(item -> objects.add((HasMetadata) item));
                    } else {
                        objects.add((HasMetadata) parsed);
                    }
                }
            }
        }
        return objects;
    }
}
