package dev.facteur.model.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The Postgres stores of schema {@code facteur}. */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

    @Bean
    IdeaStore ideaStore(NamedParameterJdbcTemplate jdbc) {
        return new IdeaStore(jdbc);
    }

    @Bean
    TaskStore taskStore(NamedParameterJdbcTemplate jdbc) {
        return new TaskStore(jdbc);
    }

    @Bean
    RunStore runStore(NamedParameterJdbcTemplate jdbc) {
        return new RunStore(jdbc);
    }

    @Bean
    DispatchQueue dispatchQueue(NamedParameterJdbcTemplate jdbc) {
        return new DispatchQueue(jdbc);
    }

    @Bean
    DeliveryLog deliveryLog(NamedParameterJdbcTemplate jdbc) {
        return new DeliveryLog(jdbc);
    }

    @Bean
    DeliveryStore deliveryStore(NamedParameterJdbcTemplate jdbc) {
        return new DeliveryStore(jdbc);
    }

    @Bean
    EventLog eventLog(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper) {
        return new EventLog(jdbc, mapper);
    }
}
