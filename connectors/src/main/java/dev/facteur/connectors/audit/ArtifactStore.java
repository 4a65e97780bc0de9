package dev.facteur.connectors.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Keeps prompts, results, diffs and logs of runs as content-addressed files under a folder
 * ({@code <root>/<idea>/<sha256>-<name>}) and records each in {@code facteur.artifacts} with its
 * sha256 checksum. The folder may be a local path (laptop mode) or a mounted object-storage bucket;
 * {@code publicBaseUri} is how the URIs are written ({@code file:} by default, e.g. {@code s3://bucket/prefix}
 * when the folder is that bucket's mount).
 */
public class ArtifactStore {

    private final NamedParameterJdbcTemplate jdbc;
    private final Path root;
    private final String publicBaseUri;

    public ArtifactStore(NamedParameterJdbcTemplate jdbc, Path root, String publicBaseUri) {
        this.jdbc = jdbc;
        this.root = root.toAbsolutePath();
        String base = publicBaseUri == null || publicBaseUri.isBlank()
                ? this.root.toUri().toString()
                : publicBaseUri;
        this.publicBaseUri = base.replaceAll("/+$", "") + "/";
    }

    /** Stores the bytes (once per content) and returns the recorded artifact. */
    public Artifact store(
            String ideaId, String workflowName, String type, String name, byte[] content, String metadataJson) {
        String sha = sha256(content);
        String relative = safe(ideaId) + "/" + sha.substring(0, 16) + "-" + safe(name);
        Path file = root.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Path temp = Files.createTempFile(file.getParent(), ".artifact", ".tmp");
                Files.write(temp, content);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not store artifact " + relative + " under " + root, e);
        }
        String uri = publicBaseUri + relative;
        String checksum = "sha256:" + sha;
        jdbc.update(
                """
                INSERT INTO facteur.artifacts (id, idea_id, workflow_name, artifact_type, uri, checksum, size_bytes, metadata)
                VALUES (:id, :idea, :workflow, :type, :uri, :checksum, :size, CAST(:metadata AS jsonb))
                ON CONFLICT (uri) DO NOTHING""",
                new MapSqlParameterSource("id", UUID.randomUUID())
                        .addValue("idea", ideaId)
                        .addValue("workflow", workflowName)
                        .addValue("type", type)
                        .addValue("uri", uri)
                        .addValue("checksum", checksum)
                        .addValue("size", (long) content.length)
                        .addValue("metadata", metadataJson == null ? "{}" : metadataJson));
        return new Artifact(type, uri, checksum, content.length);
    }

    /** Re-reads a stored artifact's file and tells whether it still has its recorded checksum. */
    public boolean intact(Artifact artifact) {
        try {
            String relative = artifact.uri().substring(publicBaseUri.length());
            return artifact.checksum().equals("sha256:" + sha256(Files.readAllBytes(root.resolve(relative))));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public java.util.List<Artifact> list(String ideaId) {
        return jdbc.query(
                """
                SELECT artifact_type, uri, checksum, size_bytes FROM facteur.artifacts WHERE idea_id = :idea
                ORDER BY created_at, uri""",
                Map.of("idea", ideaId),
                (rs, i) -> new Artifact(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
    }

    private static String safe(String value) {
        return value == null ? "_" : value.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Artifact(String type, String uri, String checksum, long sizeBytes) {}
}
