package dev.facteur.processes.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Argo manifests the chart installs (argo.installTemplates, argo.installPolicy) are copies of
 * argo/ under helm/facteur/files/argo/, because Helm reads no file outside its chart. They must not
 * drift, and each stage must run under its own account: every account and Role they name exists,
 * and only the deploy stage may touch Deployments.
 */
class ChartArgoFilesTest {

    @Test
    void theChartsCopiesAreIdenticalToArgo() {
        Map<Path, String> originals = yamlBelow(Chart.ARGO);
        Map<Path, String> copies = yamlBelow(Chart.ARGO_COPY);

        assertThat(copies.keySet())
                .as("files under helm/facteur/files/argo (copy them with: "
                        + "cp -r argo/templates argo/rbac argo/policy helm/facteur/files/argo/)")
                .isEqualTo(originals.keySet());
        originals.forEach((path, text) -> assertThat(copies.get(path))
                .as("helm/facteur/files/argo/%s", path)
                .isEqualTo(text));
    }

    @Test
    void everyStageTemplateRunsUnderItsOwnAccountThatExistsAndThePolicyAdmits() {
        List<Map<String, Object>> documents = argoDocuments();
        Set<String> accounts = names(documents, "ServiceAccount");
        Map<String, Object> policy = only(documents, "ClusterPolicy");
        String admitted = String.valueOf(Chart.at(
                Chart.map(Chart.list(Chart.at(policy, "spec.rules")).get(0)),
                "validate.pattern.spec.serviceAccountName"));
        Set<String> used = new LinkedHashSet<>();

        for (Map<String, Object> template : ofKind(documents, "WorkflowTemplate")) {
            String stage = String.valueOf(
                    Chart.map(Chart.at(template, "metadata.labels")).get("codex.stage"));
            String account = Chart.text(template, "spec.serviceAccountName");
            assertThat(account)
                    .as("account of %s", Chart.name(template))
                    .isIn(accounts)
                    .isEqualTo("facteur-stage-" + stage);
            assertThat(admitted).contains(account);
            used.add(account);
        }
        assertThat(used).as("one account per stage template").hasSize(6);
    }

    @Test
    void everyBindingNamesARoleAndAccountsThatExist() {
        List<Map<String, Object>> documents = argoDocuments();
        Set<String> accounts = names(documents, "ServiceAccount");
        accounts.add(
                "facteur"); // the engine account of facteur-orchestrator-rbac.yaml: the chart renders its own binding
        Set<String> roles = names(documents, "Role");
        Set<String> clusterRoles = names(documents, "ClusterRole");

        for (Map<String, Object> binding : ofKind(documents, "RoleBinding")) {
            String roleKind = Chart.text(binding, "roleRef.kind");
            assertThat("Role".equals(roleKind) ? roles : clusterRoles)
                    .as("roleRef of %s", Chart.name(binding))
                    .contains(Chart.text(binding, "roleRef.name"));
            for (Object subject : Chart.list(Chart.at(binding, "subjects"))) {
                assertThat(Chart.text(Chart.map(subject), "name")).isIn(accounts);
            }
        }
    }

    @Test
    void onlyTheDeployStageIsBoundToTheRightsOnDeploymentsAndPlanningHoldsNothingButTheExecutorRole() {
        Map<String, Set<String>> rolesByAccount = new LinkedHashMap<>();
        for (Map<String, Object> binding : ofKind(argoDocuments(), "RoleBinding")) {
            for (Object subject : Chart.list(Chart.at(binding, "subjects"))) {
                rolesByAccount
                        .computeIfAbsent(Chart.text(Chart.map(subject), "name"), account -> new LinkedHashSet<>())
                        .add(Chart.text(binding, "roleRef.name"));
            }
        }

        assertThat(rolesByAccount.get("facteur-stage-planning")).containsExactly("facteur-stage-executor");
        assertThat(rolesByAccount.get("facteur-stage-deploy")).contains("facteur-stage-deployer");
        rolesByAccount.forEach((account, roles) -> {
            if (!account.equals("facteur-stage-deploy")) {
                assertThat(roles).as("roles of %s", account).doesNotContain("facteur-stage-deployer");
            }
        });
    }

    @Test
    void theChartInstallsTheArgoFilesOnlyBehindItsToggles() {
        String stages = Chart.read(Chart.TEMPLATES.resolve("argo-stages.yaml"));
        String policy = Chart.read(Chart.TEMPLATES.resolve("argo-policy.yaml"));

        assertThat(stages)
                .startsWith("{{- if .Values.argo.installTemplates }}")
                .contains(
                        "files/argo/templates/*.yaml",
                        "files/argo/rbac/stage-service-accounts.yaml",
                        "files/argo/rbac/stage-executor-rbac.yaml",
                        "files/argo/rbac/deploy-rbac.yaml")
                .doesNotContain("\"files/argo/rbac/facteur-orchestrator-rbac.yaml\"");
        assertThat(policy)
                .startsWith("{{- if .Values.argo.installPolicy }}")
                .contains("files/argo/policy/codex-docker-policy.yaml");
        assertThat(stages + policy)
                .as("Argo's and Kyverno's own {{ }} must not go through tpl")
                .doesNotContain("tpl ");
    }

    private static List<Map<String, Object>> argoDocuments() {
        List<Map<String, Object>> documents = new ArrayList<>();
        Chart.yamlFiles(Chart.ARGO_COPY).forEach(file -> documents.addAll(Chart.documents(Chart.read(file))));
        return documents;
    }

    private static Map<Path, String> yamlBelow(Path folder) {
        Map<Path, String> files = new LinkedHashMap<>();
        Chart.yamlFiles(folder).forEach(file -> files.put(folder.relativize(file), Chart.read(file)));
        return files;
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> documents, String kind) {
        return documents.stream()
                .filter(document -> kind.equals(Chart.kind(document)))
                .toList();
    }

    private static Map<String, Object> only(List<Map<String, Object>> documents, String kind) {
        List<Map<String, Object>> found = ofKind(documents, kind);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static Set<String> names(List<Map<String, Object>> documents, String kind) {
        Set<String> names = new LinkedHashSet<>();
        ofKind(documents, kind).forEach(document -> names.add(Chart.name(document)));
        return names;
    }
}
