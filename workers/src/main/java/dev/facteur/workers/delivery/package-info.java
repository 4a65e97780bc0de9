/**
 * Settings of the delivery stages, integration to remediation ({@code facteur.delivery.*}, {@code
 * facteur.integration.*}).
 */
package dev.facteur.workers.delivery;
