package dev.facteur.processes.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses engine and webapp API queries that use expression parameters ({@code assigneeExpression},
 * {@code dueDateExpression}, … — any parameter named {@code *Expression}, in the query string or
 * anywhere in a JSON body, including inside {@code orQueries}): Camunda 7.24 CE has advisories about
 * expressions smuggled into queries, and none of our clients needs them. Variable values are left
 * alone, so a stage message that happens to contain {@code ${…}} still goes through.
 */
class ExpressionQueryGuard extends OncePerRequestFilter {

    static final int MAX_BODY = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getParameterMap().keySet().stream().anyMatch(ExpressionQueryGuard::isExpressionParameter)) {
            refuse(response);
            return;
        }
        if (request.getContentLengthLong() == 0 || "GET".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            ProblemResponses.write(response, 413, "Payload Too Large", "request bodies are limited to 1 MiB");
            return;
        }
        if (isJson(request) && carriesExpression(body)) {
            refuse(response);
            return;
        }
        chain.doFilter(RequestBodyLimit.buffered(request, body), response);
    }

    static boolean isExpressionParameter(String name) {
        return name.endsWith("Expression") || name.endsWith("Expressions");
    }

    /** True when any object key anywhere in the JSON is an expression parameter. Unparseable: left to the API. */
    static boolean carriesExpression(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException notJson) {
            return false;
        }
        Deque<JsonNode> pending = new ArrayDeque<>();
        if (root != null) {
            pending.push(root);
        }
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isObject()) {
                for (var field : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
                    if (isExpressionParameter(field.getKey())
                            && !field.getValue().isNull()) {
                        return true;
                    }
                    pending.push(field.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(pending::push);
            }
        }
        return false;
    }

    private static boolean isJson(HttpServletRequest request) {
        String type = request.getContentType();
        return type == null || type.toLowerCase().contains("json");
    }

    private static void refuse(HttpServletResponse response) throws IOException {
        ProblemResponses.write(
                response, 400, "Bad Request", "expression parameters (*Expression) in queries are not allowed");
    }
}
