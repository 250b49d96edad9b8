package dev.sluice.topology.it;

import dev.sluice.topology.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real KRaft broker (child JVM) for every IT class of the test JVM. Each class starts on a clean
 * broker: the topics and consumer groups of the class before it are deleted (static members removed
 * first, so a SIGKILLed process's membership does not hold up the next join), which takes well under
 * a second where a fresh broker took about 7 s.
 */
final class SharedBroker {
    private static final Logger log = LoggerFactory.getLogger(SharedBroker.class);
    private static EmbeddedKafka kafka;

    private SharedBroker() {
    }

    /** The JVM's broker, started on first use and emptied on each later one. */
    static synchronized EmbeddedKafka clean() throws Exception {
        if (kafka == null) {
            Path dir = Path.of("target", "it", "kafka").toAbsolutePath();
            ItEnv.deleteRecursively(dir);
            kafka = EmbeddedKafka.start(dir);
        } else {
            wipe(kafka.clientProps());
        }
        return kafka;
    }

    /** Restarts the JVM's broker on the same address and data, as a broker restart in production does. */
    static synchronized EmbeddedKafka restart(java.time.Duration downtime) throws Exception {
        kafka = kafka.restart(downtime);
        return kafka;
    }

    private static void wipe(Map<String, Object> props) throws Exception {
        long t0 = System.nanoTime();
        try (Admin admin = Admin.create(props)) {
            for (GroupListing g : admin.listGroups().all().get()) {
                try {
                    admin.removeMembersFromConsumerGroup(g.groupId(), new RemoveMembersFromConsumerGroupOptions()).all().get();
                } catch (ExecutionException e) {
                    log.debug("group {}: {}", g.groupId(), e.getCause().toString()); // already empty
                }
                admin.deleteConsumerGroups(Set.of(g.groupId())).all().get();
            }
            Set<String> topics = admin.listTopics().names().get();
            admin.deleteTopics(topics).all().get();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!admin.listTopics().names().get().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics not deleted after 30 s: " + admin.listTopics().names().get());
                }
                Thread.sleep(100);
            }
        }
        log.info("shared broker emptied in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }
}
