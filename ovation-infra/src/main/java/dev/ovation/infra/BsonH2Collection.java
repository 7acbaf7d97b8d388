package dev.ovation.infra;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.Assert;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;

/**
 * A collection of the H2 backend whose documents are stored as BSON ({@link EncodedDocument}),
 * encoded once, when stored, and decoded when read, the latest ones kept decoded
 * ({@link DecodedDocuments}).
 *
 * <p>The backend's own collection keeps documents as objects, which H2 serialises at each commit
 * and deserialises whenever it loads a page, also a page it loads only to store a new document
 * beside the one it holds; and it encodes each document once more only to count its size. Here the
 * size is that of the encoding stored. Every method of the backend's collection that reads or
 * writes the map's values is replaced here: the map holds {@link EncodedDocument}s, not documents.
 */
final class BsonH2Collection extends H2Collection {

    /** The decoded documents a collection keeps: at most this much of their estimated heap. */
    static final long DECODED_BUDGET_BYTES = 16L << 20;

    private final MVMap<Object, EncodedDocument> documents;
    private final DecodedDocuments decoded = new DecodedDocuments(DECODED_BUDGET_BYTES);

    @SuppressWarnings({"unchecked", "rawtypes"})
    BsonH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                     MVMap<Object, EncodedDocument> documents, MVMap<String, Object> metaMap,
                     CursorRegistry cursorRegistry) {
        super(database, collectionName, options, (MVMap) documents, metaMap, cursorRegistry);
        this.documents = documents;
    }

    /** The sizes are counted here, from the encodings stored, rather than by a second encoding. */
    @Override
    protected boolean tracksDataSize() {
        return false;
    }

    @Override
    protected Object addDocumentInternal(Document document) {
        Object key = getIdField() != null ? Utils.getSubdocumentValue(document, getIdField()) : UUID.randomUUID();
        EncodedDocument encoded = EncodedDocument.of(document);
        EncodedDocument previous = documents.put(Missing.ofNullable(key), encoded);
        Assert.isNull(previous, () -> "Document with key '" + key + "' already existed in " + this);
        decoded.put(key, document, encoded);
        updateDataSize(encoded.size());
        return key;
    }

    @Override
    protected Document getDocument(Object position) {
        Document document = decoded.get(position);
        if (document == null) {
            EncodedDocument encoded = documents.get(position);
            if (encoded == null) {
                return null;
            }
            document = encoded.decode();
            decoded.put(position, document, encoded);
        }
        return document;
    }

    @Override
    protected void removeDocument(Object position) {
        EncodedDocument removed = documents.remove(position);
        if (removed == null) {
            throw new NoSuchElementException("No document with key " + position);
        }
        decoded.remove(position);
        updateDataSize(-removed.size());
    }

    /** @param newDocument the document read from this collection, changed in place */
    @Override
    protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
        EncodedDocument encoded = EncodedDocument.of(newDocument);
        EncodedDocument before = documents.put(Missing.ofNullable(position), encoded);
        decoded.put(position, newDocument, encoded);
        updateDataSize(encoded.size() - (before == null ? 0 : before.size()));
    }

    /** Every document, decoded for the scan (the kept ones as they are), not kept. */
    @Override
    protected Stream<DocumentWithPosition<Object>> streamAllDocumentsWithPosition() {
        return documents.entrySet().stream()
                .map(entry -> new DocumentWithPosition<>(scanned(entry), entry.getKey()));
    }

    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
        Stream<Document> all = isNaturalDescending(orderBy)
                ? streamAllDocumentsWithPosition()
                        .sorted((a, b) -> ValueComparator.desc().compare(a.getPosition(), b.getPosition()))
                        .map(DocumentWithPosition::getDocument)
                : documents.entrySet().stream().map(this::scanned);
        return matchDocumentsFromStream(all, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    private Document scanned(Map.Entry<Object, EncodedDocument> entry) {
        Document kept = decoded.get(entry.getKey());
        return kept != null ? kept : entry.getValue().decode();
    }
}
