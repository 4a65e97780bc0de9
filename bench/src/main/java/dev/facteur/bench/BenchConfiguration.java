package dev.facteur.bench;

import dev.facteur.bench.JdbcCounter.CountingDataSource;
import dev.facteur.model.idea.Idea;
import dev.facteur.model.idea.LifecycleState;
import dev.facteur.model.store.IdeaStore;
import dev.facteur.processes.dispatch.Dispatcher;
import dev.facteur.workers.knowledge.PlanningKnowledge;
import dev.facteur.workers.planning.PlanningWorker;
import dev.facteur.workers.runtime.TopicWorker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.aopalliance.intercept.MethodInterceptor;
import org.camunda.bpm.client.task.ExternalTask;
import org.camunda.bpm.client.task.ExternalTaskService;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * What the benchmark adds to the real application: the {@link ImmediateExecutor} (selected by
 * {@code facteur.executor.type=immediate}, so no other executor bean exists) and probes around
 * beans the application already has, without changing them:
 * <ul>
 *   <li>the DataSource: every statement, commit and rollback counted ({@link JdbcCounter});</li>
 *   <li>{@link Dispatcher#dispatch()} and the lifecycle delegates {@code taskFinishedNotifier} and
 *       {@code dispatchReadyTasks}: timed, with the statements run inside them;</li>
 *   <li>{@link IdeaStore#updateStatus}: the moment (and the counters) at which an idea enters each state.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class BenchConfiguration {

    @Bean
    @Primary
    ImmediateExecutor immediateExecutor() {
        return new ImmediateExecutor();
    }

    @Bean
    static BeanPostProcessor benchProbes() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof DataSource dataSource && !(bean instanceof CountingDataSource)) {
                    return new CountingDataSource(dataSource);
                }
                if (bean instanceof Dispatcher) {
                    return timed(bean, true, "dispatch", Probes.DISPATCH);
                }
                if (bean instanceof JavaDelegate && name.equals("taskFinishedNotifier")) {
                    return timed(bean, false, "execute", Probes.NOTIFIER);
                }
                if (bean instanceof JavaDelegate && name.equals("dispatchReadyTasks")) {
                    return timed(bean, false, "execute", Probes.READY);
                }
                if (bean instanceof PlanningKnowledge) {
                    ProxyFactory factory = new ProxyFactory(bean);
                    factory.setProxyTargetClass(true);
                    factory.addAdvice((MethodInterceptor) invocation -> {
                        if (invocation.getMethod().getName().equals("similarTo")
                                && invocation.getArguments()[0] instanceof Idea idea) {
                            Probes.planningStep(idea.id(), "knowledge asked");
                            Object result = invocation.proceed();
                            Probes.planningStep(idea.id(), "knowledge answered");
                            return result;
                        }
                        return invocation.proceed();
                    });
                    return factory.getProxy();
                }
                if (bean instanceof List<?> list && list.stream().anyMatch(PlanningWorker.class::isInstance)) {
                    // the topic workers: planning's marks the moment a handler thread takes a fetched task
                    return list.stream()
                            .map(worker -> worker instanceof PlanningWorker planning ? handled(planning) : worker)
                            .toList();
                }
                if (bean instanceof IdeaStore) {
                    ProxyFactory factory = new ProxyFactory(bean);
                    factory.setProxyTargetClass(true);
                    factory.addAdvice((MethodInterceptor) invocation -> {
                        Object result = invocation.proceed();
                        if (invocation.getMethod().getName().equals("updateStatus")) {
                            Object[] args = invocation.getArguments();
                            Probes.entered((String) args[0], ((LifecycleState) args[1]).displayName());
                        }
                        return result;
                    });
                    return factory.getProxy();
                }
                return bean;
            }
        };
    }

    private static Object timed(Object bean, boolean targetClass, String method, JdbcCounter.Scope scope) {
        ProxyFactory factory = new ProxyFactory(bean);
        factory.setProxyTargetClass(targetClass);
        factory.addAdvice((MethodInterceptor) invocation -> {
            if (!invocation.getMethod().getName().equals(method)) {
                return invocation.proceed();
            }
            return scope.time(invocation::proceed);
        });
        return factory.getProxy();
    }

    private static TopicWorker handled(PlanningWorker planning) {
        return new TopicWorker() {
            @Override
            public String topic() {
                return planning.topic();
            }

            @Override
            public void execute(ExternalTask task, ExternalTaskService service) {
                Probes.planningStep(task.getBusinessKey(), "handler took it");
                planning.execute(task, service);
            }
        };
    }

    /** The probes' readings, shared with {@link DispatchBenchmark}. */
    static final class Probes {
        static final JdbcCounter.Scope DISPATCH = new JdbcCounter.Scope("Dispatcher.dispatch()");
        static final JdbcCounter.Scope NOTIFIER = new JdbcCounter.Scope("TaskFinishedNotifier.execute()");
        static final JdbcCounter.Scope READY = new JdbcCounter.Scope("DispatchReadyTasks.execute()");

        /** Idea id → state → the first moment it was entered. */
        private static final Map<String, Map<String, Mark>> STATES = new ConcurrentHashMap<>();

        private static final Map<String, CompletableFuture<Mark>> COMPLETED = new ConcurrentHashMap<>();
        /** Idea id → the moment its planning stage reached the executor. */
        private static final Map<String, Mark> PLANNING_SUBMITTED = new ConcurrentHashMap<>();

        private Probes() {}

        static Mark mark() {
            return new Mark(
                    System.nanoTime(),
                    JdbcCounter.snapshot(),
                    DISPATCH.snapshot(),
                    NOTIFIER.snapshot(),
                    READY.snapshot());
        }

        static void entered(String ideaId, String state) {
            Mark mark = mark();
            STATES.computeIfAbsent(ideaId, id -> new ConcurrentHashMap<>()).putIfAbsent(state, mark);
            if (state.equals("Completed") || state.equals("Cancelled")) {
                completion(ideaId).complete(mark);
            }
        }

        static CompletableFuture<Mark> completion(String ideaId) {
            return COMPLETED.computeIfAbsent(ideaId, id -> new CompletableFuture<>());
        }

        static void planningSubmitted(String ideaId) {
            PLANNING_SUBMITTED.putIfAbsent(ideaId, mark());
        }

        /** Idea id → a step of its planning task before it reached the executor → the moment. */
        private static final Map<String, Map<String, Long>> PLANNING_STEPS = new ConcurrentHashMap<>();

        static void planningStep(String ideaId, String step) {
            if (ideaId != null) {
                PLANNING_STEPS
                        .computeIfAbsent(ideaId, id -> new ConcurrentHashMap<>())
                        .putIfAbsent(step, System.nanoTime());
            }
        }

        /** The moment of a step of the idea's planning task; null when it was not seen. */
        static Long planningStepAt(String ideaId, String step) {
            return PLANNING_STEPS.getOrDefault(ideaId, Map.of()).get(step);
        }

        static Mark submitted(String ideaId) {
            return PLANNING_SUBMITTED.get(ideaId);
        }

        static Mark state(String ideaId, String state) {
            return STATES.getOrDefault(ideaId, Map.of()).get(state);
        }
    }

    /** Time and counters at one moment. */
    record Mark(
            long nanos,
            JdbcCounter.Counts counts,
            JdbcCounter.Scope.Snapshot dispatch,
            JdbcCounter.Scope.Snapshot notifier,
            JdbcCounter.Scope.Snapshot ready) {}
}
