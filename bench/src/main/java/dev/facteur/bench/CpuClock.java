package dev.facteur.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * CPU time spent, from Linux's own counters: this JVM's ({@code /proc/self/stat}, user and system) and the whole
 * machine's ({@code /proc/stat}, every state but idle and I/O wait). Their difference over a run is what the rest of
 * the machine spent in it: on the benchmark's machine, PostgreSQL and the kernel's work for it. Read in clock ticks
 * of 1/100 s, the value {@code getconf CLK_TCK} gives on Linux.
 */
record CpuClock(long jvmTicks, long machineTicks) {

    private static final double TICKS_PER_SECOND = 100.0;

    static CpuClock now() {
        try {
            String self = Files.readString(Path.of("/proc/self/stat"));
            // fields after the command name, which may hold spaces: state is field 3, utime 14 and stime 15
            String[] fields = self.substring(self.lastIndexOf(')') + 2).trim().split("\\s+");
            long jvm = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            String[] cpu =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // user nice system idle iowait irq softirq steal (guest time is already counted in user)
            long[] states = Arrays.stream(cpu, 1, Math.min(cpu.length, 9))
                    .mapToLong(Long::parseLong)
                    .toArray();
            long busy = states[0] + states[1] + states[2] + states[5] + states[6] + states[7];
            return new CpuClock(jvm, busy);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the CPU counters in /proc: " + e.getMessage(), e);
        }
    }

    /** Core-seconds spent since {@code before}: this JVM's, and the rest of the machine's. */
    Spent since(CpuClock before) {
        double jvm = (jvmTicks - before.jvmTicks) / TICKS_PER_SECOND;
        double machine = (machineTicks - before.machineTicks) / TICKS_PER_SECOND;
        return new Spent(jvm, Math.max(0, machine - jvm));
    }

    record Spent(double jvmSeconds, double restSeconds) {}
}
