package dev.facteur.processes.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.model.idea.PlainText;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.processes.security.RequestBodyLimit;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.Task;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Completing an approval gate through {@code /engine-rest} ({@code task/{id}/complete}, {@code submit-form},
 * {@code resolve}): the gate's rules ({@link GateRules}) are asked before the engine, so a refusal is a 403 (not a
 * member of approvers) or a 400 (an invalid decision) — the engine itself answers any exception of a task listener
 * with a 500. The gate's listener still enforces the same rules inside the engine. The other person tasks
 * ({@link PersonTasks}) are checked the same way: a decision the model cannot branch on, or a note the engine
 * cannot store, is a 400; so is any other string variable sent to either that the engine could not store (over
 * 4,000 characters, or with control characters such as NUL, which PostgreSQL refuses).
 */
class GateCompletionGuard extends OncePerRequestFilter {

    private static final Pattern COMPLETION =
            Pattern.compile("/engine-rest/task/([^/]+)/(complete|submit-form|resolve)");

    /** Camunda keeps a string variable in a {@code varchar(4000)}. */
    private static final int CAMUNDA_STRING_CHARS = 4000;

    private final TaskService tasks;
    private final IdentityService identity;
    private final ObjectMapper mapper;

    GateCompletionGuard(TaskService tasks, IdentityService identity, ObjectMapper mapper) {
        this.tasks = tasks;
        this.identity = identity;
        this.mapper = mapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher completion = COMPLETION.matcher(
                request.getRequestURI().substring(request.getContextPath().length()));
        if (!"POST".equals(request.getMethod()) || !completion.matches()) {
            chain.doFilter(request, response);
            return;
        }
        // the gate and its variables are read as the engine (the caller may not read them); who completes is the caller
        Authentication authentication = identity.getCurrentAuthentication();
        identity.clearAuthentication();
        byte[] body = null;
        try {
            Task task = tasks.createTaskQuery().taskId(completion.group(1)).singleResult();
            ApprovalGates gate = task == null
                    ? null
                    : ApprovalGates.ofTask(task.getTaskDefinitionKey()).orElse(null);
            PersonTasks person = task == null
                    ? null
                    : PersonTasks.ofTask(task.getTaskDefinitionKey()).orElse(null);
            if (gate != null || person != null) {
                body = checked(request, task, gate, person, authentication);
            }
        } catch (AuthorizationException e) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "AuthorizationException", e.getMessage());
            return;
        } catch (BadUserRequestException e) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, "InvalidRequestException", e.getMessage());
            return;
        } finally {
            if (authentication == null) {
                identity.clearAuthentication();
            } else {
                identity.setAuthentication(authentication);
            }
        }
        // not a gate: the engine answers as always
        chain.doFilter(body == null ? request : RequestBodyLimit.buffered(request, body), response);
    }

    /**
     * The body, once the rules of the gate (or of the other person task) accept the completion it asks for (else
     * they throw).
     */
    private byte[] checked(
            HttpServletRequest request,
            Task task,
            ApprovalGates gate,
            PersonTasks person,
            Authentication authentication)
            throws IOException {
        byte[] body = RequestBodyLimit.readAtMost(request.getInputStream(), RequestBodyLimit.MAX_BODY);
        JsonNode sent =
                body.length == 0 ? mapper.createObjectNode() : readOrEmpty(body).path("variables");
        Function<String, Object> variables =
                name -> sent.has(name) ? value(sent.get(name).get("value")) : tasks.getVariable(task.getId(), name);
        if (gate == null) {
            person.check(variables);
        } else {
            gateRules(task, gate, authentication, variables).check();
        }
        sent.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue().path("value");
            String problem =
                    value.isTextual() ? PlainText.Check.problem(value.asText(), true, CAMUNDA_STRING_CHARS) : null;
            if (problem != null) { // the engine could not store it: its flush would fail, answered 500
                throw new BadUserRequestException(field.getKey() + " " + problem);
            }
        });
        return body;
    }

    private GateRules gateRules(
            Task task, ApprovalGates gate, Authentication authentication, Function<String, Object> variables) {
        String ideaId = String.valueOf(
                ProcessVariables.IDEA_ID.value(tasks.getVariable(task.getId(), ProcessVariables.IDEA_ID.name())));
        return new GateRules(
                ideaId,
                gate,
                authentication == null ? null : authentication.getUserId(),
                authentication == null || authentication.getGroupIds() == null
                        ? List.of()
                        : authentication.getGroupIds(),
                variables);
    }

    private JsonNode readOrEmpty(byte[] body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            return mapper.createObjectNode(); // the engine answers a malformed body itself
        }
    }

    private static Object value(JsonNode value) {
        return value == null || value.isNull()
                ? null
                : value.isTextual()
                        ? value.asText()
                        : value.isBoolean() ? (Object) value.asBoolean() : value.toString();
    }

    /** The engine REST API's own error shape: {@code {"type": …, "message": …}}. */
    private void refuse(HttpServletResponse response, int status, String type, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        mapper.writeValue(response.getOutputStream(), Map.of("type", type, "message", message));
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        /** After Camunda's authentication of {@code /engine-rest} (order +20), which tells who completes. */
        @Bean
        FilterRegistrationBean<GateCompletionGuard> gateCompletionGuard(
                TaskService tasks, IdentityService identity, ObjectMapper mapper) {
            var registration = new FilterRegistrationBean<>(new GateCompletionGuard(tasks, identity, mapper));
            registration.addUrlPatterns("/engine-rest/task/*");
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
            return registration;
        }
    }
}
