package dev.ovation.infra;

import de.bwaldvogel.mongo.bson.Document;

/**
 * A document as the MongoDB-wire server's H2 file holds it, on disk and in its page cache: its BSON.
 * Decoded only when read ({@link #decode}), so that a page loaded to store a new document beside
 * this one, and written again with it, costs a copy of bytes.
 *
 * @param bson never changed once made
 */
record EncodedDocument(byte[] bson) {

    /** {@code document}, encoded. */
    static EncodedDocument of(Document document) {
        return new EncodedDocument(DocumentEncoder.encode(document));
    }

    /** A new document, decoded from the BSON (a long array of sub-documents: each when asked for). */
    Document decode() {
        return DocumentDecoder.ofThisThread().decode(bson, 0);
    }

    /** The document's size in BSON, as MongoDB counts a collection's data. */
    int size() {
        return bson.length;
    }
}
