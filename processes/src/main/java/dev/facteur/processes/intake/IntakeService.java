package dev.facteur.processes.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facteur.connectors.kafka.Headers;
import dev.facteur.connectors.kafka.Topics;
import dev.facteur.connectors.outbox.Outbox;
import dev.facteur.connectors.outbox.OutboxMessage;
import dev.facteur.connectors.proto.intake.v1.IdeaEvent;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.idea.IdeaSpec;
import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.process.IdeaLifecycle;
import dev.facteur.model.process.ProcessVariables;
import dev.facteur.model.store.DeliveryLog;
import dev.facteur.model.store.EventLog;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.model.store.IdeaStore.NewIdea;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The two halves of every entrance. {@link #submit} (HTTP side) records the idea and puts its IdeaEvent in
 * the outbox for {@code codex.intent}; {@link #start} (the topic's consumer) starts {@code idea-lifecycle}.
 * Each half records its delivery id in its own transaction, so a redelivered webhook or a replayed
 * message changes nothing.
 */
@Service
public class IntakeService {

    private static final Logger log = LoggerFactory.getLogger(IntakeService.class);

    private final DeliveryLog deliveries;
    private final IdeaStore ideas;
    private final EventLog events;
    private final Outbox outbox;
    private final RuntimeService runtime;
    private final ObjectMapper mapper;
    private final IdeaValidation validation;

    IntakeService(
            DeliveryLog deliveries,
            IdeaStore ideas,
            EventLog events,
            Outbox outbox,
            RuntimeService runtime,
            ObjectMapper mapper,
            IdeaValidation validation) {
        this.validation = validation;
        this.deliveries = deliveries;
        this.ideas = ideas;
        this.events = events;
        this.outbox = outbox;
        this.runtime = runtime;
        this.mapper = mapper;
    }

    /**
     * Accepts an idea from an entrance. {@code inboundDelivery} (e.g. {@code github:<X-GitHub-Delivery>}) is
     * the entrance's own idempotency key; a repeat answers {@code duplicate} and publishes nothing.
     */
    @Transactional
    public Accepted submit(IdeaEvent event, String inboundDelivery) {
        validation.require(event);
        if (inboundDelivery != null
                && !deliveries.record(inboundDelivery, event.getSource().name(), event.getIdeaId())) {
            return new Accepted(deliveries.ideaOf(inboundDelivery).orElse(event.getIdeaId()), true);
        }
        if (ideas.insertIfAbsent(newIdea(event))) {
            events.append(
                    event.getIdeaId(),
                    "idea.submitted",
                    event.getInitiator(),
                    Map.of(
                            "source",
                            IdeaEvents.source(event.getSource()).value(),
                            "sourceRef",
                            event.getSourceRef(),
                            "delivery",
                            event.getDeliveryId()));
        } else {
            events.append(
                    event.getIdeaId(),
                    "idea.edited",
                    event.getInitiator(),
                    Map.of("delivery", event.getDeliveryId(), "spec", IdeaEvents.spec(event)));
        }
        outbox.enqueue(OutboxMessage.kafka(
                Topics.CODEX_INTENT,
                event.getIdeaId(),
                event.toByteArray(),
                Map.of(
                        Headers.CONTENT_TYPE,
                        Headers.PROTOBUF,
                        Headers.PROTOBUF_MESSAGE,
                        IdeaEvent.getDescriptor().getFullName(),
                        Headers.PROTOBUF_SCHEMA,
                        "dev/facteur/intake/v1/idea_event.proto")));
        return new Accepted(event.getIdeaId(), false);
    }

    /**
     * Starts the idea's lifecycle (business key = idea id) unless this delivery was seen before or the idea
     * already runs (a later edit). True when this call started it.
     */
    @Transactional
    public boolean start(IdeaEvent event) {
        if (event.getIdeaId().isBlank() || event.getDeliveryId().isBlank()) {
            throw new IntakeRejected("IdeaEvent without idea_id or delivery_id");
        }
        validation.require(event);
        if (!deliveries.record("intent:" + event.getDeliveryId(), Topics.CODEX_INTENT, event.getIdeaId())) {
            log.debug("IdeaEvent delivery {} seen before: ignored", event.getDeliveryId());
            return false;
        }
        Optional<Idea> registered = ideas.lockAndFind(event.getIdeaId());
        if (registered.isEmpty()) {
            ideas.insertIfAbsent(newIdea(event)); // published straight to the topic by another producer
            registered = ideas.lockAndFind(event.getIdeaId());
        }
        Idea idea = registered.orElseThrow();
        if (idea.processInstanceId() != null) {
            return false;
        }
        ProcessInstance instance = runtime.startProcessInstanceByKey(
                IdeaLifecycle.PROCESS_KEY, idea.id(), Map.ofEntries(ProcessVariables.IDEA_ID.to(idea.id())));
        ideas.linkProcessInstance(idea.id(), instance.getId());
        events.append(
                idea.id(),
                "idea.registered",
                event.getInitiator(),
                Map.of("source", idea.source().value(), "title", idea.title(), "delivery", event.getDeliveryId()));
        return true;
    }

    private NewIdea newIdea(IdeaEvent event) {
        IdeaSpec spec = IdeaEvents.spec(event);
        return new NewIdea(
                event.getIdeaId(),
                IdeaEvents.source(event.getSource()),
                event.getSourceRef().isBlank() ? event.getIdeaId() : event.getSourceRef(),
                spec.title(),
                IdeaEvents.priority(event.getPriority()),
                LifecycleState.SUBMITTED,
                json(spec.riskLabels()),
                json(spec),
                spec.repository(),
                event.getInitiator());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** What an entrance answers: the idea and whether this delivery was a repeat. */
    public record Accepted(String ideaId, boolean duplicate) {}
}
