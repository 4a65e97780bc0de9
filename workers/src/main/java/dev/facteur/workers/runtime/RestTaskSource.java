package dev.facteur.workers.runtime;

import java.time.Duration;
import java.util.Map;
import org.camunda.bpm.client.ExternalTaskClient;
import org.camunda.bpm.client.backoff.BackoffStrategy;
import org.camunda.bpm.client.backoff.ExponentialBackoffStrategy;
import org.camunda.bpm.client.backoff.ExponentialErrorBackoffStrategy;
import org.camunda.bpm.client.interceptor.auth.BasicAuthProvider;
import org.camunda.bpm.client.task.ExternalTaskHandler;

/**
 * Tasks fetched through the engine's REST API by Camunda's external-task client, with long polling: how remote
 * workers reach the engine. With a {@code token} the workers authenticate with it ({@link WorkerSettings#TOKEN_HEADER}),
 * which the engine checks without a login (wrong passwords sent by anyone cannot lock or slow the workers); without,
 * with HTTP Basic ({@code facteur.workers.user} and the password).
 */
public class RestTaskSource implements TaskSource {

    /** The longest pause between two fetches: a restarted engine is found again within this. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final WorkerSettings settings;
    private final String engineUrl;
    private final String password;
    private final String token;
    private ExternalTaskClient client;

    public RestTaskSource(WorkerSettings settings, String engineUrl, String password, String token) {
        this.settings = settings;
        this.engineUrl = engineUrl;
        this.password = password;
        this.token = token;
    }

    @Override
    public synchronized void start(Map<String, ExternalTaskHandler> handlers) {
        client = ExternalTaskClient.create()
                .baseUrl(engineUrl)
                .workerId(TaskSource.newWorkerId())
                .maxTasks(settings.maxTasks())
                .asyncResponseTimeout(settings.asyncResponseTimeout().toMillis())
                .lockDuration(settings.lockDuration().toMillis())
                .addInterceptor(
                        token.isBlank()
                                ? new BasicAuthProvider(settings.user(), password)
                                : request -> request.addHeader(WorkerSettings.TOKEN_HEADER, token))
                .backoffStrategy(backoff(settings))
                .build();
        // the extension properties say whether the engine writes a completion's audit events (AuditedCompletion)
        handlers.forEach((topic, handler) -> client.subscribe(topic)
                .includeExtensionProperties(true)
                .handler(handler)
                .open());
    }

    /**
     * How the client pauses before its next fetch. With long polling ({@code async-response-timeout} above zero) the
     * engine holds a fetch until there is work, so an empty answer calls for no pause: only a failed fetch (engine or
     * network down) backs off, from 0.5 s doubling up to {@link #MAX_BACKOFF}. Without long polling, empty answers
     * back off the same way. The client's default backs off after empty answers too, up to 60 s: an idle worker picked
     * up new work, and found a restarted engine, up to a minute late.
     */
    static BackoffStrategy backoff(WorkerSettings settings) {
        long max = MAX_BACKOFF.toMillis();
        return settings.asyncResponseTimeout().isZero()
                ? new ExponentialBackoffStrategy(500, 2, max)
                : new ExponentialErrorBackoffStrategy(500, 2, max);
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.stop();
            client = null;
        }
    }

    @Override
    public String toString() {
        return engineUrl;
    }
}
