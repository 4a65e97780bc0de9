package dev.facteur.processes.laptop;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Laptop mode and tests ({@code facteur.kafka.embedded=true}, no {@code facteur.kafka.bootstrap-servers}):
 * start a real single-node KRaft broker in this JVM (spring-kafka-test's {@code EmbeddedKafkaKraftBroker})
 * on a fixed free port and point the application at it. The broker classes are only on the laptop and
 * test class paths (never in the production image), hence the reflective start.
 */
public class LocalKafka implements EnvironmentPostProcessor {

    static final String BROKER_CLASS = "org.springframework.kafka.test.EmbeddedKafkaKraftBroker";
    private static Object broker;
    private static String bootstrapServers;

    private final Log log;

    public LocalKafka(DeferredLogFactory logs) {
        this.log = logs.getLog(LocalKafka.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String configured = env.getProperty("facteur.kafka.bootstrap-servers", "");
        if (!env.getProperty("facteur.kafka.embedded", Boolean.class, false) || !configured.isBlank()) {
            return;
        }
        if (!ClassUtils.isPresent(BROKER_CLASS, LocalKafka.class.getClassLoader())) {
            throw new IllegalStateException("facteur.kafka.embedded=true needs spring-kafka-test on the class path "
                    + "(run laptop mode with ./facteur-laptop) or set facteur.kafka.bootstrap-servers");
        }
        env.getPropertySources()
                .addFirst(new MapPropertySource(
                        "facteur-local-kafka", Map.of("facteur.kafka.bootstrap-servers", start())));
        log.info("Kafka: in-process KRaft broker at " + bootstrapServers);
    }

    /** One broker per JVM, shared by every application context started in it (tests). */
    static synchronized String start() {
        if (broker == null) {
            startOnAFreePort();
            Runtime.getRuntime().addShutdownHook(new Thread(LocalKafka::stop, "local-kafka-stop"));
        }
        return bootstrapServers;
    }

    /**
     * Starts the broker on a port that was free when asked; another process may take it before the broker binds it (an
     * outgoing connection's ephemeral port), so a bind lost that way is tried again on another free port, twice at most.
     */
    private static void startOnAFreePort() {
        for (int attempt = 1; ; attempt++) {
            try {
                startOn(freePort());
                return;
            } catch (IOException e) {
                throw new IllegalStateException("could not start the in-process Kafka broker: " + e, e);
            } catch (IllegalStateException e) {
                if (attempt == 3 || !portTaken(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean portTaken(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    /** The running in-process broker (an {@code EmbeddedKafkaKraftBroker}), for tests that stop and restart it. */
    public static synchronized Object broker() {
        return broker;
    }

    private static void startOn(int port) {
        Object instance = null;
        try {
            Class<?> type = ClassUtils.forName(BROKER_CLASS, LocalKafka.class.getClassLoader());
            instance = type.getConstructor(int.class, int.class, String[].class).newInstance(1, 3, new String[0]);
            // a fixed client port (kafkaPorts() is ignored in KRaft mode): clients find a restarted broker again
            type.getMethod("brokerProperty", String.class, Object.class)
                    .invoke(instance, "listeners", "EXTERNAL://localhost:" + port + ",CONTROLLER://localhost:0");
            type.getMethod("afterPropertiesSet").invoke(instance);
            bootstrapServers = (String) type.getMethod("getBrokersAsString").invoke(instance);
            broker = instance;
        } catch (ReflectiveOperationException e) {
            destroy(instance); // what it started before failing (its controller) goes with it
            throw new IllegalStateException("could not start the in-process Kafka broker: " + e, e);
        }
    }

    private static void destroy(Object instance) {
        if (instance != null) {
            try {
                instance.getClass().getMethod("destroy").invoke(instance);
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // a broker that never started has little to stop; the start's own error is the one to report
            }
        }
    }

    private static synchronized void stop() {
        destroy(broker); // the JVM is going away anyway
        broker = null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
