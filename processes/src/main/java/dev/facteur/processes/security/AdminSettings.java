package dev.facteur.processes.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.admin.*}: the administrator of Cockpit, Tasklist, Admin and the APIs.
 *
 * @param user             from {@code FACTEUR_ADMIN_USER}
 * @param password         from {@code FACTEUR_ADMIN_PASSWORD}
 * @param generatePassword laptop mode: make up a password when none is set and print it once
 */
@ConfigurationProperties("facteur.admin")
public record AdminSettings(
        @DefaultValue("admin") String user,
        @DefaultValue("") String password,
        @DefaultValue("false") boolean generatePassword) {}
