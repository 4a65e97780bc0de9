/** The BPMN vocabulary: process keys, messages, element ids and the typed process variables, declared once. */
package dev.facteur.model.process;
