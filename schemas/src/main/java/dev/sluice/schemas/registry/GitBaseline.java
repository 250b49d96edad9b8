package dev.sluice.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The baseline of the compatibility gate: the schema files of a directory as last committed, read with
 * the {@code git} command line. By default the commit is the merge-base of {@code HEAD} and
 * {@value #UPSTREAM} (what a branch is merged into), else {@code HEAD} — when there is no such ref (no
 * {@code origin} remote) or no merge-base in the history at hand (a shallow clone). A named revision
 * overrides both. Outside a git work tree there is no baseline, unless a revision was asked for.
 */
public final class GitBaseline {
    public static final String UPSTREAM = "origin/main";

    private final Path dir;

    public GitBaseline(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    /**
     * The {@code *.avsc} and {@code subjects.properties} at one commit by file name; {@code name} says which
     * commit ({@code "the baseline 0123456789ab"}), {@code why} how it was chosen.
     */
    public record Baseline(String name, String why, Map<String, String> files) {
        /** Name and reason, e.g. {@code "the baseline 0123456789ab (merge-base of HEAD and origin/main)"}. */
        public String description() {
            return name + " (" + why + ")";
        }
    }

    private record Git(int code, String out, String err) {
    }

    /** The baseline at {@code rev}, or at the default commit when {@code rev} is null. */
    public Baseline read(String rev) throws IOException {
        if (!insideWorkTree()) {
            if (rev != null) {
                throw new IOException("--baseline " + rev + " needs a git work tree, and " + dir + " is not in one");
            }
            return new Baseline("the empty baseline", dir + " is not in a git work tree", Map.of());
        }
        if (rev != null) {
            Optional<String> named = commit(rev);
            if (named.isEmpty()) {
                throw new IOException("--baseline " + rev + ": no such commit in the repository of " + dir);
            }
            return at(named.get(), rev);
        }
        String head = commit("HEAD").orElse(null);
        if (head == null) {
            return new Baseline("the empty baseline", "no commit yet", Map.of());
        }
        if (commit(UPSTREAM).isPresent()) {
            Git base = git("merge-base", "HEAD", UPSTREAM);
            if (base.code == 0) {
                return at(base.out.strip(), "merge-base of HEAD and " + UPSTREAM);
            }
            return at(head, "HEAD; no merge-base with " + UPSTREAM + " in this history, a shallow clone?");
        }
        return at(head, "HEAD; no " + UPSTREAM);
    }

    private Baseline at(String commit, String why) throws IOException {
        String tree = commit + ":" + git("rev-parse", "--show-prefix").out.strip();
        Map<String, String> files = new TreeMap<>();
        if (git("cat-file", "-e", tree).code == 0) {
            for (String name : require(git("ls-tree", "-z", "--full-tree", "--name-only", tree)).split("\0")) {
                if (name.endsWith(".avsc") || name.equals(SchemaGate.SUBJECTS_FILE)) {
                    files.put(name, require(git("cat-file", "blob", tree + name)));
                }
            }
        }
        return new Baseline("the baseline " + commit.substring(0, 12), why, files);
    }

    private boolean insideWorkTree() {
        try {
            return git("rev-parse", "--is-inside-work-tree").out.strip().equals("true");
        } catch (IOException noGit) {
            return false;
        }
    }

    private Optional<String> commit(String rev) throws IOException {
        Git g = git("rev-parse", "--verify", "--quiet", rev + "^{commit}");
        return g.code == 0 ? Optional.of(g.out.strip()) : Optional.empty();
    }

    private static String require(Git g) throws IOException {
        if (g.code != 0) {
            throw new IOException("git failed (exit " + g.code + "): " + g.err.strip());
        }
        return g.out;
    }

    private Git git(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("git", "--no-pager"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        String out = readAll(p.getInputStream());
        try {
            return new Git(p.waitFor(), out, err.join());
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + cmd, e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
