package dev.facteur.workers.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.audit.ArtifactStore;
import dev.facteur.connectors.audit.ArtifactStore.Artifact;
import dev.facteur.connectors.audit.ArtifactStore.Content;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.store.EventLog;
import dev.facteur.workers.stage.StageObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps each finished run's request (the prompt and parameters), its result (plan, diff summary,
 * review findings…) and, for local runs, its output log as artifacts, and records their URIs and
 * sha256 checksums on an {@code artifacts.stored} audit event.
 */
public class ArtifactRecorder implements StageObserver {

    private final ArtifactStore store;
    private final EventLog events;
    private final ObjectMapper mapper;
    private final Path localRunsDir;

    /** @param localRunsDir the local executor's work folder (its {@code <workflow>/output.log}), or null */
    public ArtifactRecorder(ArtifactStore store, EventLog events, ObjectMapper mapper, Path localRunsDir) {
        this.store = store;
        this.events = events;
        this.mapper = mapper;
        this.localRunsDir = localRunsDir;
    }

    @Override
    public boolean writesWithTheOutcome() {
        return true;
    }

    @Override
    public void finished(StageRequest request, String stageId, StageResult result) {
        String workflow = request.workflowName();
        List<Content> contents = new ArrayList<>();
        contents.add(new Content("request", workflow + "-request.json", json(request)));
        contents.add(new Content("result", workflow + "-result.json", json(result)));
        if (localRunsDir != null) {
            Path log = localRunsDir.resolve(workflow).resolve("output.log");
            if (Files.isRegularFile(log)) {
                try {
                    contents.add(new Content("log", workflow + "-output.log", Files.readAllBytes(log)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        List<Artifact> stored = store.storeAll(request.ideaId(), workflow, contents);
        events.append(
                request.ideaId(),
                "artifacts.stored",
                "worker:" + stageId,
                Map.of(
                        "workflow",
                        workflow,
                        "artifacts",
                        stored.stream()
                                .map(a -> Map.of(
                                        "type",
                                        a.type(),
                                        "uri",
                                        a.uri(),
                                        "checksum",
                                        a.checksum(),
                                        "bytes",
                                        a.sizeBytes()))
                                .toList()));
    }

    private byte[] json(Object value) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
