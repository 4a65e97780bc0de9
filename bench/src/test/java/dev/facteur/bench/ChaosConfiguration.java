package dev.facteur.bench;

import java.time.Duration;
import org.aopalliance.intercept.MethodInterceptor;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * What the fault-injection suite adds to the application: the fault-injecting executor (selected by
 * {@code facteur.executor.type=immediate}: no other executor exists), and a delay that can be switched on in
 * the idea's dispatch step, which holds the idea's row lock while stage results and task ends keep arriving.
 */
@Configuration(proxyBeanMethods = false)
class ChaosConfiguration {

    /** Added to every run of {@code dispatchReadyTasks} (after its work, before the idea waits again). */
    static volatile Duration dispatchDelay = Duration.ZERO;

    @Bean
    @Primary
    ChaosExecutor chaosExecutor() {
        return new ChaosExecutor();
    }

    @Bean
    static BeanPostProcessor slowDispatchStep() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (!(bean instanceof JavaDelegate) || !name.equals("dispatchReadyTasks")) {
                    return bean;
                }
                ProxyFactory factory = new ProxyFactory(bean);
                factory.addInterface(JavaDelegate.class);
                factory.addAdvice((MethodInterceptor) invocation -> {
                    Object result = invocation.proceed();
                    Thread.sleep(dispatchDelay.toMillis());
                    return result;
                });
                return factory.getProxy();
            }
        };
    }
}
