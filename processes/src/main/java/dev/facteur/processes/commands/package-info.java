/**
 * The commands a person gives an idea (pause, resume, cancel, approve, reject, request changes), carried out in one
 * place whichever channel parsed them: the REST API, GitHub comments, Discord buttons.
 */
package dev.facteur.processes.commands;
