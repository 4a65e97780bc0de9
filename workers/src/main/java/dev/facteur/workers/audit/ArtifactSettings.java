package dev.facteur.workers.audit;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.artifacts.*}: where prompts, results and logs of runs are kept.
 *
 * @param dir     the folder (laptop mode: {@code .facteur/artifacts}; production: a mounted bucket or volume)
 * @param baseUri how artifact URIs are written, e.g. {@code s3://bucket/facteur} for a bucket mounted at
 *                {@code dir}; empty: {@code file:} URIs of {@code dir}
 */
@ConfigurationProperties("facteur.artifacts")
public record ArtifactSettings(Path dir, @DefaultValue("") String baseUri) {

    public ArtifactSettings {
        dir = dir == null ? Path.of(System.getProperty("java.io.tmpdir"), "facteur", "artifacts") : dir;
    }
}
