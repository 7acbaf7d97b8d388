package dev.ovation.infra;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * A database of the MongoDB-wire server's H2 backend whose collections keep their documents as BSON
 * ({@link BsonDocumentType}). The H2 backend opens a collection's map by name with H2's default
 * types; here the map is opened first with the BSON type, and the backend's own opening then finds
 * it open. Indexes and collection metadata keep H2's types: they hold keys and counts, not documents.
 */
final class BsonH2Database extends H2Database {

    /** The H2 backend's name for the map of a collection's documents: this, then {@code <database>.<collection>}. */
    static final String DOCUMENTS_MAP_PREFIX = "databases.";

    private final MVStore store;

    BsonH2Database(String databaseName, MVStore store, CursorRegistry cursorRegistry) {
        // H2Database's constructor opens the existing collections before this.store is set: that
        // opening is skipped there (below) and done here
        super(databaseName, store, cursorRegistry);
        this.store = store;
        super.initializeNamespacesAndIndexes();
    }

    @Override
    protected void initializeNamespacesAndIndexes() {
        if (store != null) {
            super.initializeNamespacesAndIndexes();
        }
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        store.openMap(DOCUMENTS_MAP_PREFIX + getFullCollectionNamespace(collectionName),
                new MVMap.Builder<Object, Document>().valueType(new BsonDocumentType()));
        return super.openOrCreateCollection(collectionName, options);
    }
}
