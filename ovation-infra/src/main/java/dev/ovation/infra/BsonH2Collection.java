package dev.ovation.infra;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;

/**
 * A collection of the H2 backend whose documents are stored as BSON ({@link BsonDocumentType}) and
 * encoded once: when stored. The backend otherwise encodes each document it stores a first time only
 * to count its size (about half of the server's CPU for a vote log bucket of sub-documents), and H2
 * a second time to write it; here the size is that of the encoding the commit then writes.
 */
final class BsonH2Collection extends H2Collection {

    private final BsonDocumentType documents;

    BsonH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                     MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry,
                     BsonDocumentType documents) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
        this.documents = documents;
    }

    /** The sizes are counted here, from the encodings stored, rather than by a second encoding. */
    @Override
    protected boolean tracksDataSize() {
        return false;
    }

    @Override
    protected Object addDocumentInternal(Document document) {
        int size = documents.encode(document).length;
        Object position = super.addDocumentInternal(document);
        updateDataSize(size);
        return position;
    }

    @Override
    protected void removeDocument(Object position) {
        Document document = getDocument(position);
        int size = document == null ? 0 : documents.sizeOf(document);
        super.removeDocument(position);
        documents.forget(document);
        updateDataSize(-size);
    }

    /**
     * @param oldDocument a copy of the document as it was
     * @param newDocument the stored document, changed in place: what was kept of it is stale
     */
    @Override
    protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
        documents.forget(newDocument);
        int size = documents.encode(newDocument).length;
        super.handleUpdate(position, oldDocument, newDocument);
        updateDataSize(size - documents.sizeOf(oldDocument));
    }
}
