package dev.facteur.processes.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses engine and webapp API requests that carry an expression ({@code ${…}} or {@code #{…}})
 * anywhere in the query string or body, including inside {@code orQueries}: Camunda 7.24 CE has
 * advisories about expressions smuggled into queries, and none of our clients needs them.
 */
class ExpressionQueryGuard extends OncePerRequestFilter {

    static final int MAX_BODY = 1024 * 1024;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query != null && carriesExpression(URLDecoder.decode(query, StandardCharsets.UTF_8))) {
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
        if (carriesExpression(new String(body, StandardCharsets.UTF_8))) {
            refuse(response);
            return;
        }
        chain.doFilter(new ReplayedBody(request, body), response);
    }

    static boolean carriesExpression(String text) {
        return text.contains("${") || text.contains("#{");
    }

    private static void refuse(HttpServletResponse response) throws IOException {
        ProblemResponses.write(response, 400, "Bad Request", "expressions in queries are not allowed");
    }

    /** The request with its body already read, served again to the handler. */
    private static final class ReplayedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReplayedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
