package dev.ovation.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefixCommittingH2BackendTest {

    /**
     * Only the backend's own commit, between write commands, may write the file: MVStore would
     * otherwise commit from a writer's thread once its unsaved changes pass a buffer size (19 MB by
     * default), which is how a version on disk gets a later write without an earlier one.
     */
    @Test
    void shouldOpenAStoreThatNeverCommitsByItselfHoweverMuchIsWritten(@TempDir Path dir) {
        MVStore store = PrefixCommittingH2Backend.storeBuilder(dir.resolve("ovation.mv").toString(),
                EmbeddedMongo.CACHE_MB).open();
        try {
            MVMap<Integer, byte[]> map = store.openMap("data");
            long version = store.getCurrentVersion();

            for (int i = 0; i < 64; i++) {
                map.put(i, new byte[1 << 20]);
            }

            assertThat(store.getCurrentVersion()).isEqualTo(version);
            assertThat(store.hasUnsavedChanges()).isTrue();
        } finally {
            store.closeImmediately();
        }
    }
}
