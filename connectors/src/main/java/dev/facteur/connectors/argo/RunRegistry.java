package dev.facteur.connectors.argo;

import dev.facteur.model.stage.StageResult;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Futures of the workflows someone waits for, and the results of workflows that finished. The two
 * meet under one lock, so a result never falls between them: a terminal status seen before anyone
 * waits (the message race: the informer can be quicker than the submit that attaches) is kept and
 * hands out a completed future to whoever attaches later. The first result settled for a name wins;
 * a later one (Argo's "Failed" after our stop) changes nothing.
 */
final class RunRegistry {

    /** Enough for every workflow a namespace keeps; the oldest results go first. */
    static final int DEFAULT_REMEMBERED = 10_000;

    private final Map<String, CompletableFuture<StageResult>> waiting = new HashMap<>();
    private final Map<String, StageResult> settled;

    RunRegistry() {
        this(DEFAULT_REMEMBERED);
    }

    RunRegistry(int remembered) {
        this.settled = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, StageResult> eldest) {
                return size() > remembered;
            }
        };
    }

    /** The future of a run: completed at once when its result is already known. */
    synchronized CompletableFuture<StageResult> attach(String name) {
        StageResult known = settled.get(name);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return waiting.computeIfAbsent(name, key -> new CompletableFuture<>());
    }

    /**
     * Records the result of a run. Returns the future to complete (outside this lock, because its
     * dependents run on the completing thread), or empty when nobody waits or a result was known.
     */
    synchronized Optional<CompletableFuture<StageResult>> settle(String name, StageResult result) {
        if (settled.containsKey(name)) {
            return Optional.empty();
        }
        settled.put(name, result);
        return Optional.ofNullable(waiting.remove(name));
    }

    synchronized Optional<StageResult> settled(String name) {
        return Optional.ofNullable(settled.get(name));
    }

    synchronized boolean isWaiting(String name) {
        return waiting.containsKey(name);
    }
}
