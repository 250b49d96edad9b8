package dev.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.registry.SchemasCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate of {@code make schemas-check} against the baseline, on real git repositories (the {@code git}
 * command line) holding the repository's own schemas: working-tree edits are compared with the last
 * committed versions under BACKWARD.
 */
class SchemasCheckTest {
    private static final Path REPO_SCHEMAS = Path.of("").toAbsolutePath();
    private static final String REQUIRED = "{\"name\": \"origin\", \"type\": \"string\"},";
    private static final String OPTIONAL = "{\"name\": \"note\", \"type\": [\"null\", \"string\"], \"default\": null},";

    @TempDir
    Path tmp;

    private record Gate(int code, String out, String err) {
    }

    @Test
    void shouldRefuseANewRequiredFieldInHnItemNamingSubjectFieldAndRule() throws Exception {
        Path repo = committed("repo", "HnItem.avsc");
        addField(repo.resolve("schemas/HnItem.avsc"), REQUIRED);
        Gate gate = gate(repo.resolve("schemas"));
        assertThat(gate.code).as(gate.out + gate.err).isOne();
        assertThat(gate.out).contains("(HEAD; no origin/main)")
                .contains("REFUSED sluice.hn.items-value <- HnItem.avsc: breaks BACKWARD compatibility")
                .contains("field 'origin': new field without a default");
        assertThat(gate.err).contains("1 schema(s) refused");
    }

    @Test
    void shouldAcceptANewOptionalFieldWithADefault() throws Exception {
        Path repo = committed("repo", "HnItem.avsc");
        addField(repo.resolve("schemas/HnItem.avsc"), OPTIONAL);
        Gate gate = gate(repo.resolve("schemas"));
        assertThat(gate.code).as(gate.out + gate.err).isZero();
        assertThat(gate.out).contains("ok    sluice.hn.items-value <- HnItem.avsc: compatible (BACKWARD)");
    }

    @Test
    void shouldRefuseADeletedSchemaAsARemovedSubject() throws Exception {
        Path repo = committed("repo", "HnItem.avsc", "HnItemId.avsc");
        Files.delete(repo.resolve("schemas/HnItem.avsc"));
        Gate gate = gate(repo.resolve("schemas"));
        assertThat(gate.code).isOne();
        assertThat(gate.out).contains("REFUSED sluice.hn.items-value <- HnItem.avsc: removed since the baseline")
                .contains("ok    sluice.hn.item-ids-value");
    }

    @Test
    void shouldPassANewSchemaFileThatHasNoBaseline() throws Exception {
        Path repo = committed("repo", "HnItemId.avsc");
        Files.copy(REPO_SCHEMAS.resolve("HnItem.avsc"), repo.resolve("schemas/HnItem.avsc"));
        Gate gate = gate(repo.resolve("schemas"));
        assertThat(gate.code).as(gate.out + gate.err).isZero();
        assertThat(gate.out).contains("ok    sluice.hn.items-value <- HnItem.avsc: new subject");
    }

    @Test
    void shouldCompareWithTheMergeBaseOfOriginMainSoACommittedBreakIsRefusedToo() throws Exception {
        Path upstream = committed("upstream", "HnItem.avsc");
        Path clone = tmp.resolve("clone");
        git(tmp, "clone", "-q", upstream.toUri().toString(), clone.toString());
        addField(clone.resolve("schemas/HnItem.avsc"), REQUIRED);
        git(clone, "commit", "-q", "-am", "break HnItem");
        Gate gate = gate(clone.resolve("schemas"));
        assertThat(gate.code).as(gate.out + gate.err).isOne();
        assertThat(gate.out).contains("merge-base of HEAD and origin/main").contains("field 'origin'");
        Gate atHead = gate(clone.resolve("schemas"), "--baseline", "HEAD");
        assertThat(atHead.code).as(atHead.out + atHead.err).isZero();
    }

    @Test
    void shouldFallBackToHeadInAShallowCloneWithoutAMergeBaseAndStillRefuseAWorkingTreeBreak() throws Exception {
        Path upstream = committed("upstream", "HnItem.avsc");
        Path shallow = tmp.resolve("shallow");
        git(tmp, "clone", "-q", "--depth", "1", upstream.toUri().toString(), shallow.toString());
        Files.writeString(upstream.resolve("README"), "a later commit");
        git(upstream, "add", ".");
        git(upstream, "commit", "-q", "-m", "later");
        git(shallow, "fetch", "-q", "--depth", "1", "origin", "main");
        Gate unchanged = gate(shallow.resolve("schemas"));
        assertThat(unchanged.code).as(unchanged.out + unchanged.err).isZero();
        assertThat(unchanged.out).contains("(HEAD; no merge-base with origin/main");
        addField(shallow.resolve("schemas/HnItem.avsc"), REQUIRED);
        Gate gate = gate(shallow.resolve("schemas"));
        assertThat(gate.code).isOne();
        assertThat(gate.out).contains("field 'origin': new field without a default");
    }

    @Test
    void shouldNameTheFieldAddedToARecordThatAnotherFileUses() throws Exception {
        Path repo = committed("repo", repositorySchemas());
        Path comment = repo.resolve("schemas/SnapshotComment.avsc");
        Files.writeString(comment, Files.readString(comment).replace("{\"name\": \"id\", \"type\": \"long\"},",
                "{\"name\": \"id\", \"type\": \"long\"}, {\"name\": \"lang\", \"type\": \"string\"},"));
        Gate gate = gate(repo.resolve("schemas"));
        assertThat(gate.code).as(gate.out + gate.err).isOne();
        assertThat(gate.out).contains("REFUSED sluice.hn.thread-snapshots-value <- ThreadSnapshot.avsc")
                .contains("field 'comments.lang': new field without a default")
                .contains("ok    sluice.hn.items-value").contains("ok    sluice.documents.pages-value <- Documents.avsc#PageTask");
    }

    @Test
    void shouldReportASchemaThatDoesNotParseWithoutABuild() throws Exception {
        Path repo = committed("repo", "HnItem.avsc");
        Files.writeString(repo.resolve("schemas/HnItem.avsc"), "{\"type\": \"record\", \"name\": ");
        Gate gate = gate(repo.resolve("schemas"));
        assertThat(gate.code).isEqualTo(2);
        assertThat(gate.err).contains("HnItem.avsc");
    }

    @Test
    void shouldRefuseANamedBaselineOutsideAGitWorkTree() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("plain"));
        Files.copy(REPO_SCHEMAS.resolve("HnItem.avsc"), dir.resolve("HnItem.avsc"));
        assertThat(gate(dir).code).isZero();
        Gate named = gate(dir, "--baseline", "HEAD");
        assertThat(named.code).isEqualTo(2);
        assertThat(named.err).contains("needs a git work tree");
    }

    /** A git repository (branch main) whose first commit holds {@code files} of the repository's schemas. */
    private Path committed(String name, String... files) throws Exception {
        Path repo = Files.createDirectories(tmp.resolve(name).resolve("schemas")).getParent();
        git(repo, "init", "-q", "-b", "main");
        for (String f : files) {
            Files.copy(REPO_SCHEMAS.resolve(f), repo.resolve("schemas").resolve(f));
        }
        Files.copy(REPO_SCHEMAS.resolve("subjects.properties"), repo.resolve("schemas/subjects.properties"));
        git(repo, "add", ".");
        git(repo, "commit", "-q", "-m", "schemas");
        return repo;
    }

    private static String[] repositorySchemas() throws IOException {
        try (Stream<Path> s = Files.list(REPO_SCHEMAS)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".avsc")).toArray(String[]::new);
        }
    }

    private static void addField(Path avsc, String field) throws IOException {
        String s = Files.readString(avsc);
        Files.writeString(avsc, s.replace("{\"name\": \"id\", \"type\": \"long\"},", "{\"name\": \"id\", \"type\": \"long\"},\n    " + field));
    }

    private static Gate gate(Path dir, String... more) {
        List<String> args = new ArrayList<>(List.of("--schemas-dir", dir.toString()));
        args.addAll(List.of(more));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SchemasCheck.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Gate(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=sluice", "-c", "user.email=sluice@localhost",
                "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(cmd + ": " + output).isZero();
    }
}
