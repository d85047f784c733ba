/**
 * picocli commands, serve (JSON Lines) and the text renderers. Top of the graph.
 */
package org.ddabridge.cli;
