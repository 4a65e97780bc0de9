package dev.facteur.processes.audit;

import dev.facteur.connectors.audit.AuditVerifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    @Bean
    AuditVerifier auditVerifier(NamedParameterJdbcTemplate jdbc) {
        return new AuditVerifier(jdbc);
    }
}
