package dev.sluice.topology.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up validation of the CLI: bad settings fail before anything starts, with a message saying what to change. */
class SluiceCliTest {
    @TempDir
    Path tmp;

    private String runAndCaptureErr(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(SluiceCli.execute(args)).isNotZero();
        } finally {
            System.setErr(original);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRefuseAnUnknownStageNamingTheKnownOnes() {
        assertThat(runAndCaptureErr("run", "--data-dir", tmp.toString(), "--stages", "fetch,ocr"))
                .contains("unknown stage(s) [ocr]").contains("watermark, fetch, links, store");
    }

    @Test
    void shouldRefuseAnUnknownSetting() {
        assertThat(runAndCaptureErr("run", "--data-dir", tmp.toString(), "--set", "fetch.concurency=4"))
                .contains("unknown setting 'fetch.concurency'");
    }

    @Test
    void shouldRefuseContradictoryBackoffsSayingWhatToChange() {
        assertThat(runAndCaptureErr("run", "--data-dir", tmp.toString(), "--set", "fetch.retry.backoff.initial.ms=9000",
                "--set", "fetch.retry.backoff.max.ms=1000"))
                .contains("fetch.retry.backoff.max.ms (1000) is below fetch.retry.backoff.initial.ms (9000)");
    }

    @Test
    void shouldRefuseAnS3BlobStoreWithoutABucketBeforeAnythingStarts() {
        assertThat(runAndCaptureErr("run", "--data-dir", tmp.toString(), "--set", "blob.store=s3"))
                .contains("blob.s3.bucket is required with blob.store=s3");
        assertThat(runAndCaptureErr("blobs", "gc", "--data-dir", tmp.toString(), "--set", "blob.store=s3"))
                .contains("blob.s3.bucket is required with blob.store=s3");
        assertThat(tmp.resolve("kafka")).doesNotExist();
        assertThat(tmp.resolve("pg")).doesNotExist();
    }

    @Test
    void shouldRefuseAnOutOfRangeValue() {
        assertThat(runAndCaptureErr("run", "--data-dir", tmp.toString(), "--set", "fetch.concurrency=0"))
                .contains("fetch.concurrency");
    }

    @Test
    void shouldRefuseAnLlmEndpointWithoutAModelSayingWhichOptionToAdd() {
        assertThat(runAndCaptureErr("run", "--data-dir", tmp.toString(), "--llm-base-url", "http://127.0.0.1:9"))
                .contains("llm.model is empty: name the model (--llm-model)");
    }

    @Test
    void shouldRefuseAFallbackModelWithoutAnEndpoint() {
        assertThat(runAndCaptureErr("run", "--data-dir", tmp.toString(), "--llm-fallback-model", "small"))
                .contains("llm.fallback.model needs llm.base.url (--llm-base-url)");
    }

    @Test
    void shouldRefuseAContextWindowTooSmallForTheAnswer() {
        assertThat(runAndCaptureErr("run", "--data-dir", tmp.toString(), "--set", "llm.context.tokens=1000",
                "--set", "llm.max.tokens=600")).contains("llm.context.tokens (1000) leaves no room");
    }

    @Test
    void shouldRefuseAnUnknownExportTable() {
        assertThat(runAndCaptureErr("export", "nope", "--data-dir", tmp.toString())).contains("unknown table 'nope'");
    }

    @Test
    void shouldListEveryTopicWithDeadLetterRetentionOnADryRunWithoutStartingKafka() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(SluiceCli.execute("topics", "create", "--dry-run", "--data-dir", tmp.toString(), "--partitions", "3",
                    "--dlq-retention-ms", "60000")).isZero();
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList())
                .contains("would create sluice.hn.items partitions=3 replication.factor=default")
                .contains("would create sluice.hn.items.dlq partitions=3 replication.factor=default retention.ms=60000")
                .contains(dev.sluice.topology.StageCatalog.topics().size() + " topics (dry run: nothing created)");
        assertThat(tmp.resolve("kafka")).doesNotExist();
    }

    @Test
    void shouldRefuseATopicPrefixWithIllegalCharactersSayingWhatToChange() {
        assertThat(runAndCaptureErr("run", "--data-dir", tmp.toString(), "--set", "topic.prefix=it 1/"))
                .contains("topic.prefix").contains("letters, digits, '.', '_' and '-'").contains("remove [' ', '/']");
        assertThat(runAndCaptureErr("run", "--data-dir", tmp.toString(), "--set", "topic.prefix=" + "x".repeat(101)))
                .contains("topic.prefix").contains("use at most 100");
        assertThat(tmp.resolve("kafka")).doesNotExist();
    }

    @Test
    void shouldPlanEveryTopicUnderThePrefixWhenOneIsSet() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(SluiceCli.execute("topics", "create", "--dry-run", "--data-dir", tmp.toString(), "--partitions", "3",
                    "--dlq-retention-ms", "60000", "--set", "topic.prefix=it1.")).isZero();
        } finally {
            System.setOut(original);
        }
        java.util.List<String> lines = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("would create ")).toList();
        assertThat(lines).hasSize(dev.sluice.topology.StageCatalog.topics().size())
                .allMatch(l -> l.startsWith("would create it1.sluice."))
                .contains("would create it1.sluice.hn.items.dlq partitions=3 replication.factor=default retention.ms=60000")
                .anyMatch(l -> l.startsWith("would create it1.sluice.documents.assembled ") && l.contains("max.message.bytes="));
    }

    @Test
    void shouldOfferNoDeveloperToolsWithoutTheToolsJar() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(SluiceCli.execute("--help")).isZero();
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("  run ").doesNotContain("  bench ", "  hn-replay ",
                "  llm-replay ", "  autoscale-demo ");
    }

    @Test
    void shouldKeepTheCommittedConfigurationReferenceInStepWithTheConfigDefs() throws Exception {
        Path committed = Path.of("..", "docs", "configuration.md");
        assertThat(Files.readString(committed)).as("docs/configuration.md is stale: run `make docs`")
                .isEqualTo(ConfigDocsCommand.markdown());
    }
}
