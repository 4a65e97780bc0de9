package dev.facteur.connectors.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Anchors as write-once objects in a folder: a mounted object-store bucket with object lock (or WORM retention)
 * in production, a plain folder in tests. Each batch is a new object that is never rewritten.
 */
public final class DirectoryAnchorSink implements AnchorSink {

    private final Path directory;
    private final ObjectMapper mapper;

    public DirectoryAnchorSink(Path directory, ObjectMapper mapper) {
        this.directory = directory;
        this.mapper = mapper;
    }

    @Override
    public void publish(List<AuditAnchor> anchors) {
        if (anchors.isEmpty()) {
            return;
        }
        AuditAnchor last = anchors.get(anchors.size() - 1);
        Path object = directory.resolve(String.format(
                "anchors-%020d-%d.json", last.eventId(), last.anchoredAt().toEpochMilli()));
        try {
            Files.createDirectories(directory);
            Files.write(
                    object,
                    mapper.writeValueAsBytes(anchors),
                    StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("could not publish audit anchors to " + object, e);
        }
    }

    @Override
    public List<AuditAnchor> readAll() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<AuditAnchor> anchors = new ArrayList<>();
        try (Stream<Path> objects = Files.list(directory)) {
            for (Path object : objects.filter(p -> p.getFileName().toString().startsWith("anchors-"))
                    .sorted()
                    .toList()) {
                anchors.addAll(Arrays.asList(mapper.readValue(object.toFile(), AuditAnchor[].class)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read audit anchors from " + directory, e);
        }
        return anchors;
    }
}
