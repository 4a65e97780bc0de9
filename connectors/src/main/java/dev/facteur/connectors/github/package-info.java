/**
 * Adapters of GitHub's REST API and webhooks: the shared HTTP transport, the integration stage through pull requests,
 * comments and commit statuses, webhook signatures and the idea issue form.
 */
package dev.facteur.connectors.github;
