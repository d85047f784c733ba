package org.ddabridge.model;

/**
 * Something wrong with a source that the read stepped over instead of failing: a damaged function of an
 * lspci dump, an absent (all-ones) function.
 *
 * @param source  where: the dump and the function address ({@code dump:0000:00:1f.3})
 * @param message what was wrong and what was done about it
 */
public record Finding(String source, String message) {
}
