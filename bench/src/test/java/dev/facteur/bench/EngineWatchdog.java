package dev.facteur.bench;

import org.springframework.context.annotation.Configuration;

/**
 * An extra source of a child engine ({@link EngineProcess}): ends the child's JVM when the test JVM that started
 * it is gone (killed, or timed out by surefire, without running its shutdown hooks), so no engine outlives its test.
 */
@Configuration(proxyBeanMethods = false)
class EngineWatchdog {

    static final String PARENT_PID = "chaos.parent-pid";

    EngineWatchdog() {
        long parent = Long.getLong(PARENT_PID, -1);
        if (parent < 0) {
            return;
        }
        Thread watchdog = new Thread(
                () -> {
                    while (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
                        try {
                            Thread.sleep(1000);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    System.err.println("test JVM " + parent + " is gone: this engine ends too");
                    Runtime.getRuntime().halt(143);
                },
                "chaos-engine-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
