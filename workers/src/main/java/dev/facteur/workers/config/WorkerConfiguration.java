package dev.facteur.workers.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.github.GitHubHttp;
import dev.facteur.connectors.github.GitHubIntegration;
import dev.facteur.connectors.github.GitHubRepositoryApi;
import dev.facteur.connectors.metrics.PrometheusClient;
import dev.facteur.model.settings.DeliverySettings;
import dev.facteur.model.settings.GitHubApiSettings;
import dev.facteur.model.settings.IntegrationSettings;
import dev.facteur.model.settings.StagesSettings;
import dev.facteur.model.stage.Executor;
import dev.facteur.model.store.DeliveryStore;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.RunStore;
import dev.facteur.model.store.TaskStore;
import dev.facteur.workers.control.ReconcileWorker;
import dev.facteur.workers.control.StopWorker;
import dev.facteur.workers.knowledge.PlanningKnowledge;
import dev.facteur.workers.planning.PlanningWorker;
import dev.facteur.workers.runtime.TopicWorker;
import dev.facteur.workers.runtime.WorkerRuntime;
import dev.facteur.workers.runtime.WorkerSettings;
import dev.facteur.workers.stage.CodexStageWorker;
import dev.facteur.workers.stage.DeployWorker;
import dev.facteur.workers.stage.ImplementationWorker;
import dev.facteur.workers.stage.IntegrationWorker;
import dev.facteur.workers.stage.MonitorWorker;
import dev.facteur.workers.stage.ReviewWorker;
import dev.facteur.workers.stage.StageObserver;
import dev.facteur.workers.stage.StageSupport;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The external-task workers, one per topic, run in-process in laptop mode and tests. */
// an engine whose workers run as their own deployment needs neither workers nor an executor
@ConditionalOnProperty(name = "facteur.workers.enabled", havingValue = "true", matchIfMissing = true)
@Configuration(proxyBeanMethods = false)
public class WorkerConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService stageScheduler() {
        return Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "facteur-stage-scheduler");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    StageSupport stageSupport(
            Executor executor,
            ExecutorSettings executorSettings,
            RunStore runs,
            IdeaStore ideas,
            EventLog events,
            ObjectMapper mapper,
            WorkerSettings settings,
            StagesSettings stages,
            ScheduledExecutorService stageScheduler,
            org.springframework.beans.factory.ObjectProvider<StageObserver> stageObservers,
            PlatformTransactionManager transactionManager) {
        return new StageSupport(
                executor,
                executorSettings.type(),
                runs,
                ideas,
                events,
                mapper,
                settings,
                stages.defaultParameters(),
                stageScheduler,
                stageObservers.orderedStream().toList(),
                new TransactionTemplate(transactionManager));
    }

    /** Threads for stages done through an API in this process (GitHub integration, Prometheus analysis). */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService deliveryCalls() {
        return Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "facteur-delivery-call");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    List<TopicWorker> topicWorkers(
            StageSupport support,
            TaskStore tasks,
            Executor executor,
            RunStore runs,
            EventLog events,
            StagesSettings stages,
            PlanningKnowledge planningKnowledge,
            DeliveryStore deliveries,
            DeliverySettings delivery,
            GitHubApiSettings github,
            IntegrationSettings integration,
            ExecutorService deliveryCalls) {
        GitHubIntegration gitHub = new GitHubIntegration(
                new GitHubRepositoryApi(new GitHubHttp(github.apiUrl(), github.token(), github.timeout())),
                new GitHubIntegration.Policy(
                        integration.baseBranch(),
                        integration.mergeMethod(),
                        integration.releaseBump(),
                        integration.checksDeadline(),
                        integration.checksPoll()));
        PrometheusClient prometheus = delivery.prometheus().baseUrl() == null
                ? null
                : new PrometheusClient(
                        delivery.prometheus().baseUrl(), delivery.prometheus().timeout());
        return List.of(
                new PlanningWorker(support, tasks, deliveries, planningKnowledge),
                new ImplementationWorker(support, tasks),
                new ReviewWorker(support),
                new IntegrationWorker(support, github, gitHub, deliveryCalls),
                new DeployWorker(support, deliveries, delivery),
                new MonitorWorker(support, deliveries, delivery, prometheus, deliveryCalls),
                new CodexStageWorker(support),
                new ReconcileWorker(executor, runs, events, stages.stuckAfter()),
                new StopWorker(executor, events));
    }

    @Bean(destroyMethod = "close")
    WorkerRuntime workerRuntime(WorkerSettings settings, List<TopicWorker> topicWorkers) {
        return new WorkerRuntime(settings, topicWorkers);
    }
}
