package dev.facteur.processes.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.process.CodeOnly;
import dev.facteur.model.process.CodexTask;
import dev.facteur.model.process.IdeaLifecycle;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.process.Var;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaInputParameter;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaOutputParameter;
import org.junit.jupiter.api.Test;

/**
 * The BPMN models and the forms they open speak only the vocabulary of {@code model.process}: every variable, message
 * and element id a model uses is declared there, and every declaration is used by a model (unless {@link CodeOnly}).
 * Renaming a variable in Modeler, or in the code alone, fails here instead of in a running idea.
 */
class ProcessVocabularyTest {

    private static final Path MODELS = Path.of("src/main/resources/bpmn");
    private static final Path FORMS = Path.of("../forms");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.'])([A-Za-z_]\\w*)(\\s*\\.)?");
    private static final Pattern FORM_REFERENCE = Pattern.compile("\\{\\{\\s*([A-Za-z_]\\w*)|=\\s*([A-Za-z_]\\w*)");
    private static final Set<String> EL_KEYWORDS = Set.of(
            "true",
            "false",
            "null",
            "empty",
            "not",
            "and",
            "or",
            "eq",
            "ne",
            "lt",
            "gt",
            "le",
            "ge",
            "div",
            "mod",
            "instanceof");

    @Test
    void everyVariableTheModelsAndTheirFormsUseIsDeclared() throws IOException {
        assertThat(declaredVariables()).containsAll(variablesUsedByModels());
    }

    @Test
    void everyDeclaredVariableIsUsedByAModelUnlessOnlyTheCodeCarriesIt() throws IOException {
        Set<String> modelled = new TreeSet<>();
        for (Field field : variableFields()) {
            if (!field.isAnnotationPresent(CodeOnly.class)) {
                modelled.add(variable(field).name());
            }
        }
        assertThat(variablesUsedByModels()).containsAll(modelled);
    }

    @Test
    void variablesAreDeclaredOnceEach() {
        var names =
                variableFields().stream().map(field -> variable(field).name()).toList();
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void theMessagesOfTheModelsAreTheDeclaredOnes() throws IOException {
        Set<String> used = new TreeSet<>();
        for (BpmnModelInstance model : models()) {
            model.getModelElementsByType(Message.class).forEach(message -> used.add(message.getName()));
        }
        assertThat(used)
                .containsExactlyInAnyOrder(
                        IdeaLifecycle.MESSAGE_TASK_FINISHED,
                        IdeaLifecycle.MESSAGE_CANCEL,
                        IdeaLifecycle.MESSAGE_ROLLBACK);
    }

    @Test
    void theElementIdsOfEachModelAreExactlyItsDeclaredElements() {
        assertThat(flowNodeIds(IdeaLifecycle.PROCESS_KEY))
                .containsExactlyInAnyOrderElementsOf(names(IdeaLifecycle.Element.values()));
        assertThat(flowNodeIds(CodexTask.PROCESS_KEY))
                .containsExactlyInAnyOrderElementsOf(names(CodexTask.Element.values()));
    }

    private static Set<String> variablesUsedByModels() throws IOException {
        Set<String> used = new TreeSet<>();
        Set<String> beans = new TreeSet<>();
        for (Path file : modelFiles()) {
            String xml = Files.readString(file)
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">");
            Matcher delegate =
                    Pattern.compile("delegateExpression=\"\\$\\{(\\w+)}\"").matcher(xml);
            while (delegate.find()) {
                beans.add(delegate.group(1));
            }
            Matcher expression = EXPRESSION.matcher(xml);
            while (expression.find()) {
                Matcher identifier = IDENTIFIER.matcher(expression.group(1).replaceAll("'[^']*'", "''"));
                while (identifier.find()) {
                    // a name followed by a dot is a bean's property or method (reviewLoop.maxAttempts)
                    (identifier.group(2) != null ? beans : used).add(identifier.group(1));
                }
            }
        }
        for (BpmnModelInstance model : models()) {
            model.getModelElementsByType(CamundaInputParameter.class).forEach(p -> used.add(p.getCamundaName()));
            model.getModelElementsByType(CamundaOutputParameter.class).forEach(p -> used.add(p.getCamundaName()));
            for (UserTask task : model.getModelElementsByType(UserTask.class)) {
                if (task.getCamundaFormRef() != null) {
                    used.addAll(formVariables(task.getCamundaFormRef()));
                }
            }
        }
        used.removeAll(beans);
        used.removeAll(EL_KEYWORDS);
        return used;
    }

    /** The form's field keys and the variables its texts show ({@code {{gateSummary}}}, {@code =ideaId}). */
    private static Set<String> formVariables(String formId) throws IOException {
        Set<String> names = new TreeSet<>();
        String text = Files.readString(FORMS.resolve(formId + ".form"));
        new ObjectMapper().readTree(text).findValues("key").forEach(key -> names.add(key.asText()));
        for (JsonNode component : new ObjectMapper().readTree(text).findValues("components")) {
            component.forEach(field -> {
                Matcher reference = FORM_REFERENCE.matcher(field.toString());
                while (reference.find()) {
                    names.add(reference.group(1) != null ? reference.group(1) : reference.group(2));
                }
            });
        }
        return names;
    }

    private static Set<String> declaredVariables() {
        return variableFields().stream()
                .map(field -> variable(field).name())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static java.util.List<Field> variableFields() {
        return Arrays.stream(ProcessVariables.class.getDeclaredFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == Var.class)
                .toList();
    }

    private static Var<?> variable(Field field) {
        try {
            return (Var<?>) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> flowNodeIds(String processKey) {
        Set<String> ids = new TreeSet<>();
        Path file = MODELS.resolve(processKey + ".bpmn");
        Bpmn.readModelFromFile(file.toFile())
                .getModelElementsByType(FlowNode.class)
                .forEach(node -> ids.add(node.getId()));
        return ids;
    }

    private static Set<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static java.util.List<Path> modelFiles() throws IOException {
        try (var files = Files.list(MODELS)) {
            return files.filter(file -> file.toString().endsWith(".bpmn"))
                    .sorted()
                    .toList();
        }
    }

    private static java.util.List<BpmnModelInstance> models() throws IOException {
        return modelFiles().stream()
                .map(file -> Bpmn.readModelFromFile(file.toFile()))
                .toList();
    }
}
