package dev.sluice.topology.it.chaos;

import dev.sluice.testkit.llm.FakeLlmServer;
import dev.sluice.topology.it.ItEnv;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * The events of a chaos run, in order, on a running fleet: random SIGKILLs (each instance restarted
 * under its id), SIGTERMs of the heavy instances mid-batch, a scale of the {@link InstanceArgs#SCALED}
 * stage from one instance to three and back, a Hacker News outage longer than the retry budget, an
 * LLM outage and a broker restart. New items appear before each event and it waits for them to flow,
 * so each event hits work in flight.
 */
public final class ChaosScript {
    private final ChaosPlan plan;
    private final Fleet fleet;
    private final HnFeed hn;
    private final FakeLlmServer llm;
    private final ItEnv env;
    private final Callable<Long> progress;
    private final Random random;
    private long llmRequestsInOutage;
    private long hnRequestsInOutage;
    private int midBatchTerms;
    private final MidBatchTerm terms;

    /** {@code progress}: a count that grows while the pipeline works (items stored). */
    public ChaosScript(ChaosPlan plan, Fleet fleet, HnFeed hn, FakeLlmServer llm, ItEnv env, Callable<Long> progress, long seed) {
        this.plan = plan;
        this.fleet = fleet;
        this.hn = hn;
        this.llm = llm;
        this.env = env;
        this.progress = progress;
        this.random = new Random(seed);
        this.terms = new MidBatchTerm(fleet, hn, env, random);
    }

    /** Runs every event; {@code beforeLlmOutage} pushes the documents whose summaries fall due in the outage. */
    public void run(Runnable beforeLlmOutage) throws Exception {
        flowing();
        killRandom();
        fleet.start("store-2", InstanceArgs.SCALED);
        fleet.start("store-3", InstanceArgs.SCALED);
        ChaosLog.event("scaled %s from 1 instance to 3", InstanceArgs.SCALED);
        terminateMidBatch("heavy-1");
        flowing();
        Thread outageKill = new Thread(this::killDuringOutage, "chaos-outage-kill");
        outageKill.start();
        hnRequestsInOutage = hn.outage(plan.hnOutage());
        outageKill.join();
        flowing();
        beforeLlmOutage.run();
        llmOutage();
        hn.revealNext();
        env.restartBroker(plan.brokerDown());
        ChaosLog.event("broker restarted on %s after %d s down", env.bootstrapServers(), plan.brokerDown().toSeconds());
        terminateMidBatch("heavy-2");
        fleet.terminate("store-3");
        fleet.terminate("store-2");
        ChaosLog.event("scaled %s from 3 instances back to 1", InstanceArgs.SCALED);
        for (int k = 2; k < plan.kills(); k++) {
            flowing();
            Thread.sleep(500 + random.nextInt(2500));
            killRandom();
        }
        hn.revealAll();
    }

    /** Item requests the Hacker News API refused while down. */
    public long hnRequestsInOutage() {
        return hnRequestsInOutage;
    }

    /** Completions the LLM refused while down. */
    public long llmRequestsInOutage() {
        return llmRequestsInOutage;
    }

    private void killRandom() throws Exception {
        List<String> running = fleet.running();
        String id = running.get(random.nextInt(running.size()));
        fleet.kill(id);
        Thread.sleep(500 + random.nextInt(1500));
        fleet.restart(id);
    }

    private void killDuringOutage() {
        try {
            long third = plan.hnOutage().toMillis() / 3;
            Thread.sleep(third + (long) (random.nextDouble() * third));
            killRandom();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void terminateMidBatch(String id) throws Exception {
        if (terms.terminate(id)) {
            midBatchTerms++;
        }
    }

    /** SIGTERMs whose instance abandoned an open batch. */
    public int midBatchTerms() {
        return midBatchTerms;
    }

    private void llmOutage() throws InterruptedException {
        long before = llm.requests(InstanceArgs.MODEL);
        llm.faults().setDown(InstanceArgs.MODEL, true);
        ChaosLog.event("LLM down for %d s", plan.llmOutage().toSeconds());
        try {
            Thread.sleep(plan.llmOutage().toMillis());
        } finally {
            llm.faults().setDown(InstanceArgs.MODEL, false);
        }
        llmRequestsInOutage = llm.requests(InstanceArgs.MODEL) - before;
        ChaosLog.event("LLM up again after refusing %d completions", llmRequestsInOutage);
    }

    /** New items appear; waits until they start being stored (two minutes at most, every instance alive). */
    private void flowing() throws Exception {
        long before = progress.call();
        if (!hn.revealNext() && before >= plan.items()) {
            return; // every item out and stored already
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (progress.call() <= before) {
            fleet.checkAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no progress for two minutes; timeline:\n" + ChaosLog.timeline());
            }
            Thread.sleep(100);
        }
    }
}
