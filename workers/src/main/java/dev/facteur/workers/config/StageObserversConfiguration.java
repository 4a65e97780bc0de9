package dev.facteur.workers.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.audit.ArtifactStore;
import dev.facteur.connectors.kb.IdeaOutcomes;
import dev.facteur.connectors.kb.KnowledgeBase;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.RunStore;
import dev.facteur.workers.audit.ArtifactRecorder;
import dev.facteur.workers.cost.CostRecorder;
import dev.facteur.workers.cost.CostSettings;
import dev.facteur.workers.knowledge.KnowledgeIngestion;
import dev.facteur.workers.knowledge.KnowledgeSettings;
import dev.facteur.workers.knowledge.PlanningKnowledge;
import dev.facteur.workers.telemetry.StageTelemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** What happens beside each stage run: cost, artifacts, knowledge-base ingestion, metrics and spans. */
@ConditionalOnProperty(name = "facteur.workers.enabled", havingValue = "true", matchIfMissing = true)
@Configuration(proxyBeanMethods = false)
public class StageObserversConfiguration {

    @Bean
    @Order(1)
    CostRecorder costRecorder(
            NamedParameterJdbcTemplate jdbc,
            RunStore runs,
            CostSettings settings,
            EventLog events,
            MeterRegistry meters) {
        return new CostRecorder(jdbc, runs, settings, events, meters);
    }

    @Bean
    @Order(2)
    ArtifactRecorder artifactRecorder(
            ArtifactStore store, EventLog events, ObjectMapper mapper, ExecutorSettings executor) {
        return new ArtifactRecorder(
                store,
                events,
                mapper,
                "local".equals(executor.type()) ? executor.local().workDir() : null);
    }

    @Bean
    @Order(3)
    @ConditionalOnProperty(name = "facteur.kb.ingest", havingValue = "true", matchIfMissing = true)
    KnowledgeIngestion knowledgeIngestion(
            KnowledgeBase knowledge, IdeaStore ideas, ObjectMapper mapper, PlatformTransactionManager transactions) {
        return new KnowledgeIngestion(knowledge, ideas, mapper, new TransactionTemplate(transactions));
    }

    @Bean
    @Order(4)
    StageTelemetry stageTelemetry(MeterRegistry meters, ObjectProvider<Tracer> tracer, RunStore runs) {
        return new StageTelemetry(meters, tracer.getIfAvailable(() -> Tracer.NOOP), runs);
    }

    @Bean
    PlanningKnowledge planningKnowledge(
            KnowledgeBase knowledge, NamedParameterJdbcTemplate jdbc, KnowledgeSettings settings, ObjectMapper mapper) {
        return new PlanningKnowledge(
                knowledge, new IdeaOutcomes(jdbc), settings.planningTopK(), settings.excerptChars(), mapper);
    }
}
