package dev.facteur.processes.intake;

import dev.facteur.processes.security.RequestBodyLimit;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reading a webhook's raw body (signatures are over the exact bytes) without ever holding more than the limit. */
public final class InboundRequest {

    /** GitHub caps webhook payloads at 25 MB; ours are ideas and commands, 1 MiB is plenty. */
    public static final int MAX_BODY = RequestBodyLimit.MAX_BODY;

    private InboundRequest() {}

    public static byte[] body(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY) {
            throw new PayloadTooLarge(request.getContentLengthLong());
        }
        try (InputStream in = request.getInputStream();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            byte[] buffer = new byte[16 * 1024];
            int total = 0;
            for (int read; (read = in.read(buffer)) != -1; ) {
                total += read;
                if (total > MAX_BODY) {
                    throw new PayloadTooLarge(total);
                }
                out.write(buffer, 0, read);
            }
            return out.toByteArray();
        }
    }

    public static String requireHeader(HttpServletRequest request, String name) {
        String value = request.getHeader(name);
        if (value == null || value.isBlank()) {
            throw new MissingHeader(name);
        }
        return value.trim();
    }

    public static class PayloadTooLarge extends RuntimeException {
        PayloadTooLarge(long size) {
            super("the body is larger than " + MAX_BODY + " bytes (" + size + "+)");
        }
    }

    public static class MissingHeader extends RuntimeException {
        public MissingHeader(String name) {
            super("missing header " + name);
        }
    }

    /** A missing, forged or stale signature. */
    public static class Unauthenticated extends RuntimeException {
        public Unauthenticated(String message) {
            super(message);
        }
    }
}
