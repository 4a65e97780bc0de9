/**
 * Authentication and authorization of every entrance (the API, the CodexTask endpoint, the engine REST API, the
 * webapps) and the hardening filters around them.
 */
package dev.facteur.processes.security;
