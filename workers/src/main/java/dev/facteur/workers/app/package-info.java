/** The workers as their own deployable: the Spring Boot application and its subscription to a remote engine. */
package dev.facteur.workers.app;
