/** The GitHub entrance ({@code POST /webhooks/github}): idea issues become ideas and comment commands steer them. */
package dev.facteur.processes.intake.github;
