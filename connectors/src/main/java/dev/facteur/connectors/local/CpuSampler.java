package dev.facteur.connectors.local;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Estimates the CPU time of a process tree. The OS forgets a process's CPU time once it is reaped,
 * so the tree is sampled while it runs and the highest value seen per pid is kept; CPU burnt after
 * the last sample is missed. Platforms without the information report 0.
 */
final class CpuSampler {

    private final Map<Long, Duration> maxByPid = new ConcurrentHashMap<>();

    void sample(ProcessHandle root) {
        Stream.concat(Stream.of(root), root.descendants())
                .forEach(handle -> handle.info()
                        .totalCpuDuration()
                        .ifPresent(cpu -> maxByPid.merge(handle.pid(), cpu, (a, b) -> a.compareTo(b) >= 0 ? a : b)));
    }

    double totalSeconds() {
        return maxByPid.values().stream().mapToLong(Duration::toNanos).sum() / 1e9;
    }
}
