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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies of Facteur's own endpoints ({@code /api}, {@code /codex}, {@code /webhooks}) at
 * {@link #MAX_BODY} bytes: a longer declared length is answered 413 before a byte is read, and a body without a
 * length (chunked) is read up to one byte past the cap, then answered 413 or handed on from memory.
 */
public class RequestBodyLimit extends OncePerRequestFilter {

    /** 1 MiB: ideas and commands are far smaller; GitHub's webhooks stay far below it too. */
    public static final int MAX_BODY = 1 << 20;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > MAX_BODY) {
            tooLarge(response, declared + " bytes");
            return;
        }
        if (declared >= 0 || !"chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"))) {
            chain.doFilter(request, response); // the container reads no more than the declared length
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            tooLarge(response, "more than " + MAX_BODY + " bytes");
            return;
        }
        chain.doFilter(new Buffered(request, body), response);
    }

    private static void tooLarge(HttpServletResponse response, String size) throws IOException {
        response.setHeader("Connection", "close"); // the rest of the body is not read
        ProblemResponses.write(
                response,
                413,
                "Payload too large",
                "the body (" + size + ") is larger than the limit of " + MAX_BODY + " bytes (1 MiB)");
    }

    /** The first {@code limit} bytes of the stream (all of it when shorter). */
    public static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        for (int read;
                out.size() < limit
                        && (read = in.read(buffer, 0, Math.min(buffer.length, limit - out.size()))) != -1; ) {
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    /** The request, its body served from {@code body} (read from it before). */
    public static HttpServletRequest buffered(HttpServletRequest request, byte[] body) {
        return new Buffered(request, body);
    }

    /** The request with its body read into memory already. */
    private static final class Buffered extends HttpServletRequestWrapper {

        private final byte[] body;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

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
            };
        }
    }
}
