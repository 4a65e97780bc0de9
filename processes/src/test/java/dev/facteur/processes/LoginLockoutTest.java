package dev.facteur.processes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facteur.processes.security.ServiceAccounts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 19's lockout: wrong passwords for the workers' account and the administrator, 1,000 of them from one
 * address while ideas run. The attacker is throttled (429 with Retry-After) after a handful of failures, the ideas
 * complete (the workers authenticate with their token, no login), and the right passwords still work.
 */
class LoginLockoutTest extends EngineTest {

    @Autowired
    ServiceAccounts accounts;

    @Autowired
    IdentityService identity;

    @LocalServerPort
    int port;

    @Test
    void aThousandWrongPasswordsLockNobodyAndStallNoIdea() throws Exception {
        List<String> ideas = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ideas.add(submit(spec("Under attack " + i, repo("lockout"))));
        }
        Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        List<String> retryAfter = new ArrayList<>();
        // one client for the whole attack, as an attacker's script has (a RestTemplate per request costs more than
        // the login it tries, and would pace the attack below the throttle's rate)
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 1000; i++) {
            String user = i % 2 == 0 ? "facteur-worker" : ADMIN;
            String path = i % 4 < 2 ? "/engine-rest/external-task" : "/api/ideas";
            String basic = Base64.getEncoder().encodeToString((user + ":wrong-" + i).getBytes(StandardCharsets.UTF_8));
            HttpResponse<Void> answer = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .header("Authorization", "Basic " + basic)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            answers.computeIfAbsent(answer.statusCode(), k -> new AtomicInteger())
                    .incrementAndGet();
            if (answer.statusCode() == 429 && retryAfter.isEmpty()) {
                retryAfter.add(answer.headers().firstValue("Retry-After").orElse(null));
            }
        }

        assertThat(answers.keySet()).containsOnly(401, 429);
        assertThat(answers.get(429).get()).isGreaterThan(800);
        assertThat(retryAfter)
                .singleElement()
                .satisfies(seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
        // nobody is locked: once the window has passed, the right passwords work, through both APIs
        eventually()
                .until(() -> admin().getForEntity("/api/ideas?limit=1", String.class)
                                .getStatusCode()
                                .value()
                        == 200);
        assertThat(http.withBasicAuth("facteur-worker", accounts.workerPassword())
                        .getForEntity("/engine-rest/external-task?maxResults=1", String.class)
                        .getStatusCode()
                        .value())
                .isEqualTo(200);
        assertThat(identity.checkPassword(ADMIN, ADMIN_PASSWORD)).isTrue();
        for (String id : ideas) {
            eventually().until(() -> state(id).equals("Completed"));
        }
    }
}
