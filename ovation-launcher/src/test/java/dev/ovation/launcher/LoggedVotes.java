package dev.ovation.launcher;

import dev.ovation.store.LogEntry;
import dev.ovation.store.LogPage;
import dev.ovation.store.VoteLog;
import java.util.ArrayList;
import java.util.List;

/** Reads a contest's whole vote log through its public paging, as the results API does. */
final class LoggedVotes {

    private LoggedVotes() {
    }

    /** Every logged vote id of the contest, newest first, duplicates kept so a test can see them. */
    static List<String> ids(VoteLog log, String contest) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            LogPage page = log.latest(contest, 1_000, cursor);
            for (LogEntry entry : page.entries()) {
                ids.add(entry.id());
            }
            cursor = page.next();
        } while (cursor != null);
        return ids;
    }
}
