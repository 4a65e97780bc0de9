package dev.facteur.connectors.kb;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/**
 * An HNSW graph (Lucene) of unit vectors by entry id, in memory or in a directory. It knows nothing of
 * the database: it remembers, per id, the row version it was given (PostgreSQL's {@code xmin}, or none
 * for a write of this process whose version is not known) and the generation of the write, so that a
 * catch-up that read the table before a local write does not undo it ({@link #putIfUntouchedSince}).
 * Vectors are compared by dot product, which is the cosine for the embedders' unit vectors.
 */
final class VectorIndex implements Closeable {

    private static final String ID = "id";
    private static final String VERSION = "version";
    private static final String VECTOR = "vector";
    /** Lucene refuses more than 1,024 dimensions by default; the n-grams and OpenAI's model have 1,536. */
    private static final int MAX_DIMENSIONS = 4096;

    record Indexed(String version, long generation) {}

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Map<UUID, Indexed> entries = new ConcurrentHashMap<>();
    private long generation;

    /** In memory when {@code path} is null; else in that directory, reopened with what it holds. */
    VectorIndex(Path path) {
        try {
            directory = path == null ? new ByteBuffersDirectory() : FSDirectory.open(path);
            // a larger buffer than the default 16 MB: the load from the table makes one segment, no merges
            // (a merge builds the HNSW graph of the merged segment again)
            IndexWriterConfig config = new IndexWriterConfig()
                    .setCodec(new WideVectorsCodec())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(64)
                    // a refresh does not wait for small segments to be merged first (Lucene 9 waits up to 500 ms):
                    // the searches without pgvector queued behind those merges; background merges still happen
                    .setMaxFullFlushMergeWaitMillis(0);
            writer = new IndexWriter(directory, config);
            searchers = new SearcherManager(writer, null);
            readEntries();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ids and versions a directory already held, so that a catch-up fetches only what changed since. */
    private void readEntries() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                Bits live = leaf.reader().getLiveDocs();
                StoredFields fields = leaf.reader().storedFields();
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if (live == null || live.get(doc)) {
                        Document stored = fields.document(doc, Set.of(ID, VERSION));
                        entries.put(UUID.fromString(stored.get(ID)), new Indexed(stored.get(VERSION), 0));
                    }
                }
            }
        } finally {
            searchers.release(searcher);
        }
    }

    /** A write of this process ({@code version} null if not known): it wins over any catch-up that read the table before it. */
    synchronized void put(UUID id, String version, float[] vector) {
        write(id, version, vector, ++generation);
    }

    synchronized void remove(UUID id) {
        ++generation;
        delete(id);
    }

    /** The generation a catch-up notes before reading the table. */
    synchronized long generation() {
        return generation;
    }

    /** A catch-up's write, skipped if this process wrote the entry after {@code since}. */
    synchronized void putIfUntouchedSince(long since, UUID id, String version, float[] vector) {
        Indexed known = entries.get(id);
        if (known == null || known.generation() <= since) {
            write(id, version, vector, since);
        }
    }

    /** A catch-up's removal (the entry is no longer in the table), skipped if written after {@code since}. */
    synchronized boolean removeIfUntouchedSince(long since, UUID id) {
        Indexed known = entries.get(id);
        if (known != null && known.generation() <= since) {
            delete(id);
            return true;
        }
        return false;
    }

    /** Ids and versions as they stand (a copy). */
    Map<UUID, Indexed> entries() {
        return Map.copyOf(entries);
    }

    int size() {
        return entries.size();
    }

    private void write(UUID id, String version, float[] vector, long generation) {
        Document doc = new Document();
        doc.add(new StringField(ID, id.toString(), Field.Store.YES));
        if (version != null) {
            doc.add(new StoredField(VERSION, version));
        }
        doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        try {
            writer.updateDocument(new Term(ID, id.toString()), doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.put(id, new Indexed(version, generation));
    }

    private void delete(UUID id) {
        try {
            writer.deleteDocuments(new Term(ID, id.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.remove(id);
    }

    /**
     * The {@code n} nearest entries as the reader holds them (id, version, vector), nearest first, among the {@code
     * breadth} nearest that the graph search keeps (HNSW is approximate: a broader search misses fewer). Sees every
     * write made before the call, unless another search is refreshing the reader at that moment: then it searches the
     * reader as it is rather than queue for that refresh (the entries are written several times per idea, so nearly
     * every search refreshed, and searches at once waited 98 ms on average for each other's refresh in a JFR
     * recording; planning does not need the last moment's entries).
     */
    List<Neighbour> nearest(float[] query, int n, int breadth) {
        try {
            searchers.maybeRefresh();
            IndexSearcher searcher = searchers.acquire();
            try {
                int kept = Math.max(n, breadth);
                ScoreDoc[] hits = searcher.search(new KnnFloatVectorQuery(VECTOR, query, kept), kept).scoreDocs;
                List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
                List<Neighbour> found = new ArrayList<>(Math.min(n, hits.length));
                for (ScoreDoc hit : hits) {
                    if (found.size() == n) {
                        break;
                    }
                    found.add(neighbour(leaves.get(ReaderUtil.subIndex(hit.doc, leaves)), hit.doc));
                }
                return found;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Neighbour neighbour(LeafReaderContext leaf, int doc) throws IOException {
        int inLeaf = doc - leaf.docBase;
        Document stored = leaf.reader().storedFields().document(inLeaf, Set.of(ID, VERSION));
        FloatVectorValues vectors = leaf.reader().getFloatVectorValues(VECTOR);
        if (vectors == null || vectors.advance(inLeaf) != inLeaf) {
            throw new IllegalStateException("the index found document " + doc + " but holds no vector for it");
        }
        return new Neighbour(
                UUID.fromString(stored.get(ID)),
                stored.get(VERSION),
                vectors.vectorValue().clone());
    }

    /** An entry the index found: its id, the row version it was written with (null if not known), its vector. */
    record Neighbour(UUID id, String version, float[] vector) {}

    /** Told before and after each refresh of the reader the searches use (a test holds one with it). */
    void addRefreshListener(ReferenceManager.RefreshListener listener) {
        searchers.addListener(listener);
    }

    /** Makes the writes durable (a directory on disk: the next start reads them instead of the table). */
    void commit() {
        try {
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }

    /** Lucene's HNSW format, allowing up to {@link #MAX_DIMENSIONS}; its files are the standard format's. */
    private static final class WideVectorsCodec extends Lucene912Codec {

        private final KnnVectorsFormat format = new KnnVectorsFormat("Lucene99HnswVectorsFormat") {
            private final KnnVectorsFormat delegate = new Lucene99HnswVectorsFormat();

            @Override
            public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
                return delegate.fieldsWriter(state);
            }

            @Override
            public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
                return delegate.fieldsReader(state);
            }

            @Override
            public int getMaxDimensions(String fieldName) {
                return MAX_DIMENSIONS;
            }
        };

        @Override
        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return format;
        }
    }
}
