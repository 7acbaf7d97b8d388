package dev.ovation.store;

import java.util.List;

/**
 * A page of the vote log, newest first.
 *
 * @param next the cursor of the following page, or null on the last page
 */
public record LogPage(List<LogEntry> entries, String next) {
}
