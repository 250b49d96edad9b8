package dev.sluice.stages.threads;

import dev.sluice.schemas.hn.HnItem;
import dev.sluice.stage.PermanentStageException;
import dev.sluice.stage.RetriableStageException;
import dev.sluice.stages.hn.HnApiClient;
import dev.sluice.stages.hn.HnItemParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the root story of an item by following {@code parent}: from a bounded in-memory map of
 * items already seen (item id to root id), else by fetching the ancestor from the Hacker News API.
 * Roots never change, so entries are never wrong and a replay or a second fetch is harmless.
 * Thread-safe.
 */
public final class RootResolver {
    private final HnApiClient api;
    private final int maxDepth;
    private final Map<Long, Long> roots;

    public RootResolver(HnApiClient api, int cacheItems, int maxDepth) {
        this.api = api;
        this.maxDepth = maxDepth;
        this.roots = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > cacheItems;
            }
        });
    }

    /** Remembers that {@code id}'s thread is rooted at {@code root}. */
    public void remember(long id, long root) {
        roots.put(id, root);
    }

    /** The root story of the item {@code parent} (the parent of the comment {@code child}). */
    public long rootOf(long child, long parent) throws RetriableStageException, PermanentStageException, InterruptedException {
        List<Long> path = new ArrayList<>();
        long current = parent;
        for (int depth = 0; depth < maxDepth; depth++) {
            Long known = roots.get(current);
            if (known != null) {
                return rememberPath(path, known);
            }
            HnItem item = fetch(child, current);
            if (!"comment".equals(item.getType())) {
                roots.put(current, current);
                return rememberPath(path, current);
            }
            if (item.getParent() == null) {
                throw new PermanentStageException("ancestor " + current + " of comment " + child + " is a comment without a parent");
            }
            path.add(current);
            current = item.getParent();
        }
        throw new PermanentStageException("comment " + child + " has more than threads.resolve.max.depth (" + maxDepth
                + ") ancestors, or a cycle");
    }

    private long rememberPath(List<Long> path, long root) {
        path.forEach(id -> roots.put(id, root));
        return root;
    }

    private HnItem fetch(long child, long id) throws RetriableStageException, PermanentStageException, InterruptedException {
        String body = api.item(id).trim();
        if (body.equals("null")) {
            // an ancestor is older than its reply, so "not visible yet" does not apply: it is gone or out of reach
            throw new PermanentStageException("ancestor " + id + " of comment " + child + " does not exist: the API answered null");
        }
        return HnItemParser.parse(id, body, Instant.now());
    }
}
