package dev.ovation.infra;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * A database of the MongoDB-wire server's H2 backend whose collections keep their documents as BSON
 * ({@link BsonDocumentType}, {@link BsonH2Collection}), in the maps the H2 backend names and opens
 * for them (so that it finds them to drop or rename). Indexes and collection metadata keep H2's
 * types: they hold keys and counts, not documents.
 */
final class BsonH2Database extends H2Database {

    /** The H2 backend's name for the map of a collection's documents: this, then {@code <database>.<collection>}. */
    static final String DOCUMENTS_MAP_PREFIX = "databases.";
    /** The H2 backend's name for the map of a collection's metadata (its data size). */
    static final String META_MAP_PREFIX = "meta.";

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
        String namespace = getFullCollectionNamespace(collectionName);
        MVMap<Object, EncodedDocument> documents = store.openMap(DOCUMENTS_MAP_PREFIX + namespace,
                new MVMap.Builder<Object, EncodedDocument>().valueType(new BsonDocumentType()));
        MVMap<String, Object> metaMap = store.openMap(META_MAP_PREFIX + namespace);
        return new BsonH2Collection(this, collectionName, options, documents, metaMap, cursorRegistry);
    }
}
