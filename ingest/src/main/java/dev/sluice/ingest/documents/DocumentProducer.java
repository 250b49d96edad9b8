package dev.sluice.ingest.documents;

import dev.sluice.blob.BlobStore;
import dev.sluice.schemas.AvroSerde;
import dev.sluice.schemas.documents.DocumentRef;
import dev.sluice.schemas.documents.DocumentTopics;
import dev.sluice.stage.LogicalTopicSerializer;
import dev.sluice.stage.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Pushes PDFs into the documents path in one call: the bytes go to the {@link BlobStore}, then a
 * {@link DocumentRef} (doc id = sha256 of the bytes) goes to {@link DocumentTopics#DOCUMENTS} of the
 * deployment ({@link Names}: its {@code topic.prefix}), acknowledged by all in-sync replicas. Pushing
 * the same file twice yields the same doc id and one stored document.
 *
 * <pre>{@code
 * try (DocumentProducer p = new DocumentProducer(clientProps, new FolderBlobStore(dir), "api", Names.of("it1."))) {
 *     DocumentRef ref = p.push(Path.of("report.pdf"));
 * }
 * }</pre>
 */
public final class DocumentProducer implements AutoCloseable {
    /** Hears about each pushed file (progress bars, logs). */
    @FunctionalInterface
    public interface Listener {
        void pushed(Path file, DocumentRef ref, int done, int total);
    }

    private final KafkaProducer<String, DocumentRef> producer;
    private final BlobStore blobs;
    private final String sourcePrefix;
    private final String topic;

    /**
     * @param clientProps  Kafka client settings (bootstrap servers, security)
     * @param blobs        where the bytes go; must be the store the pipeline reads
     * @param sourcePrefix recorded as the document's source, {@code <prefix>:<filename>}
     * @param names        the deployment pushed to: {@code Names.of(topic.prefix)}, {@link Names#DEFAULT} for none
     */
    public DocumentProducer(Map<String, Object> clientProps, BlobStore blobs, String sourcePrefix, Names names) {
        Map<String, Object> p = new HashMap<>(clientProps);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, names.clientId("sluice-document-producer"));
        this.producer = new KafkaProducer<>(p, new StringSerializer(),
                LogicalTopicSerializer.of(names, new AvroSerde<>(DocumentRef.class).serializer()));
        this.blobs = blobs;
        this.sourcePrefix = sourcePrefix;
        this.topic = names.topic(DocumentTopics.DOCUMENTS);
    }

    /** Pushes one file and waits for the broker's acknowledgement. */
    public DocumentRef push(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return push(bytes, sourcePrefix + ":" + file.getFileName(), file.getFileName().toString());
    }

    /** Pushes bytes under an explicit source (e.g. {@code hn:<story id>}). */
    public DocumentRef push(byte[] bytes, String source, String filename) throws IOException {
        String ref = blobs.put(bytes);
        DocumentRef doc = DocumentRef.newBuilder().setDocId(BlobStore.digestOf(ref)).setBlob(ref).setSource(source)
                .setFilename(filename).setSizeBytes(bytes.length).setSubmittedAt(System.currentTimeMillis()).build();
        try {
            producer.send(new ProducerRecord<>(topic, doc.getDocId(), doc)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pushing " + filename, e);
        } catch (ExecutionException e) {
            throw new IOException("cannot push " + filename + " to " + topic + ": " + e.getCause(), e.getCause());
        }
        return doc;
    }

    /** Pushes files, and the {@code *.pdf} files under folders, in name order. */
    public List<DocumentRef> pushAll(List<Path> paths, Listener listener) throws IOException {
        List<Path> files = expand(paths);
        List<DocumentRef> refs = new ArrayList<>(files.size());
        for (Path f : files) {
            DocumentRef ref = push(f);
            refs.add(ref);
            listener.pushed(f, ref, refs.size(), files.size());
        }
        return refs;
    }

    /** The files {@code paths} name: files as given, the {@code *.pdf} files of folders (sorted); missing paths fail. */
    public static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile)
                            .filter(f -> f.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".pdf"))
                            .sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new java.nio.file.NoSuchFileException(p.toString(), null, "no such file or folder");
            }
        }
        return files;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
