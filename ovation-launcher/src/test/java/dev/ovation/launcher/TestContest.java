package dev.ovation.launcher;

/**
 * A contest of one test on the shared standalone ({@link SharedPipeline}): created for it through
 * the admin API, open, with no catalog and the default limits, and seen by no other test, so its
 * results and log hold exactly the votes this test sent.
 *
 * @param id the contest's id, {@code <test class>-<n>}
 */
record TestContest(String id) {

    /** The results API path of this contest: {@code /api/contests/<id>} followed by {@code path}. */
    String path(String path) {
        return "/api/contests/" + id + path;
    }
}
