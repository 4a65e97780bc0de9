/** The Discord entrance ({@code POST /webhooks/discord}): the {@code /idea} command and the answers to interactions. */
package dev.facteur.processes.intake.discord;
