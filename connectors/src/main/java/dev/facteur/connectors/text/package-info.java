/**
 * Text placed where others render or store it: user text escaped for Markdown, and values cut to what a Camunda string
 * variable holds.
 */
package dev.facteur.connectors.text;
