package dev.facteur.connectors.kafka;

/** Kafka header names; the {@code x-*} ones are the existing stack's (wire-contracts.md). */
public final class Headers {

    public static final String OUTBOX_ID = "facteur-outbox-id";
    public static final String DEAD_LETTER_REASON = "facteur-dlt-reason";
    public static final String CONTENT_TYPE = "content-type";
    public static final String PROTOBUF_MESSAGE = "x-protobuf-message";
    public static final String PROTOBUF_SCHEMA = "x-protobuf-schema";
    public static final String PROTOBUF = "application/x-protobuf";

    private Headers() {}
}
