package dev.facteur.connectors.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
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

    // compiled once: String.replaceAll compiles its pattern on every call, twice per artifact stored
    private static final Pattern UNSAFE_IN_A_FILE_NAME = Pattern.compile("[^A-Za-z0-9._-]");

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

    /**
     * Stores each content's bytes (once per content) and records them all in one round trip (a JDBC batch); returns the
     * recorded artifacts in the order given.
     */
    public List<Artifact> storeAll(String ideaId, String workflowName, List<Content> contents) {
        List<Artifact> stored = new ArrayList<>();
        List<MapSqlParameterSource> rows = new ArrayList<>();
        for (Content content : contents) {
            String sha = sha256(content.bytes());
            String relative = safe(ideaId) + "/" + sha.substring(0, 16) + "-" + safe(content.name());
            write(relative, content.bytes());
            Artifact artifact =
                    new Artifact(content.type(), publicBaseUri + relative, "sha256:" + sha, content.bytes().length);
            stored.add(artifact);
            rows.add(new MapSqlParameterSource("id", UUID.randomUUID())
                    .addValue("idea", ideaId)
                    .addValue("workflow", workflowName)
                    .addValue("type", artifact.type())
                    .addValue("uri", artifact.uri())
                    .addValue("checksum", artifact.checksum())
                    .addValue("size", artifact.sizeBytes()));
        }
        jdbc.batchUpdate("""
                INSERT INTO facteur.artifacts (id, idea_id, workflow_name, artifact_type, uri, checksum, size_bytes, metadata)
                VALUES (:id, :idea, :workflow, :type, :uri, :checksum, :size, '{}'::jsonb)
                ON CONFLICT (uri) DO NOTHING""", rows.toArray(MapSqlParameterSource[]::new));
        return stored;
    }

    private void write(String relative, byte[] content) {
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

    public List<Artifact> list(String ideaId) {
        return jdbc.query(
                """
                SELECT artifact_type, uri, checksum, size_bytes FROM facteur.artifacts WHERE idea_id = :idea
                ORDER BY created_at, uri""",
                Map.of("idea", ideaId),
                (rs, i) -> new Artifact(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
    }

    private static String safe(String value) {
        return value == null ? "_" : UNSAFE_IN_A_FILE_NAME.matcher(value).replaceAll("_");
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Artifact(String type, String uri, String checksum, long sizeBytes) {}

    /** What to keep: the artifact's type, its file name and its bytes. */
    public record Content(String type, String name, byte[] bytes) {}
}
