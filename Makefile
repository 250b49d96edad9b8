# Sluice — see README.md. Targets: build, run, preflight, test, test-long, test-all, chaos, schemas-check, bench, clean.
MVN ?= mvn -B -q
MVN_TEST ?= mvn -B --no-transfer-progress
SHARED ?= $(abspath ../shared)

.PHONY: build run preflight test test-long test-all unit chaos bench clean docs schemas-check

# Every module, the tools too: ./sluice then offers bench, autoscale-demo, hn-replay and llm-replay
# (tools/target/sluice-tools.jar and the test kit on its classpath; the image has neither).
build:
	$(MVN) -DskipTests package

# The main job on embedded defaults: a KRaft broker, PostgreSQL and the schema registry under ./data,
# the Hacker News path against the live API (override with HN_BASE_URL=http://127.0.0.1:PORT).
# The embedded registry gets every schemas/*.avsc registered at start.
HN_BASE_URL ?= https://hacker-news.firebaseio.com
run: preflight build
	./sluice run --hn-base-url $(HN_BASE_URL) $(RUN_ARGS)

# What `make run` needs on the machine (JDK 17, Maven, PostgreSQL server binaries unless RUN_ARGS has
# --db-url, Tesseract): says in one line what to apt-get install; installs it only as root with CI=true.
preflight:
	@scripts/preflight $(RUN_ARGS)

# The compatibility gate under BACKWARD: every schemas/*.avsc of the working tree against its baseline,
# the same file as last committed (git merge-base HEAD origin/main, else HEAD;
# SCHEMAS_ARGS="--baseline REV" names another commit), or SCHEMAS_ARGS="--schema-registry-url URL
# [--register]" against a registry's latest versions. It needs no build: the gate's classes
# (dev.sluice.schemas.registry, no generated code) are compiled alone against the schemas module's jars.
# `make test` runs it first; SchemaGateIT runs it on a fresh real registry.
GATE := schemas/target/gate
GATE_SOURCES := $(wildcard schemas/src/main/java/dev/sluice/schemas/registry/*.java)

$(GATE)/classpath: pom.xml schemas/pom.xml
	@mkdir -p $(GATE)
	$(MVN) -pl schemas dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=$(abspath $@) >/dev/null

$(GATE)/classes/.built: $(GATE)/classpath $(GATE_SOURCES)
	@rm -rf $(GATE)/classes
	javac -nowarn -proc:none -implicit:class -d $(GATE)/classes -cp "$$(cat $(GATE)/classpath)" \
	  -sourcepath schemas/src/main/java schemas/src/main/java/dev/sluice/schemas/registry/SchemasCheck.java
	@touch $@

schemas-check: $(GATE)/classes/.built
	java -Dslf4j.internal.verbosity=ERROR -cp "$(GATE)/classes:$$(cat $(GATE)/classpath)" \
	  dev.sluice.schemas.registry.SchemasCheck --schemas-dir schemas $(SCHEMAS_ARGS)

# The schemas gate against the baseline, then unit tests (surefire) and integration tests (failsafe)
# on a real broker, PostgreSQL, schema registry and Tesseract; SchemaGateIT is the gate on a fresh registry.
# It leaves out the ITs tagged "long" (JUnit @Tag): test-long runs only those, test-all everything;
# .ci/run runs test, then test-long.
test: schemas-check
	$(MVN_TEST) -Dsluice.shared.dir=$(SHARED) verify

# The whole-pipeline proofs that take minutes each: chaos (kills, outages, broker restart), crash loops,
# first run, documents and summaries end to end, metrics, autoscaling. Unit tests are not rerun.
test-long:
	$(MVN_TEST) -Dsluice.shared.dir=$(SHARED) -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.groups=long -Dit.excludedGroups= verify

test-all: schemas-check
	$(MVN_TEST) -Dsluice.shared.dir=$(SHARED) -Dit.excludedGroups= verify

unit:
	$(MVN_TEST) -Dsluice.shared.dir=$(SHARED) -DskipITs verify

# The long form of PipelineChaosIT (`make test` runs its short form): every fixture item, five documents
# and a late one, SIGKILLs, SIGTERMs mid-batch, a broker restart, a three-minute Hacker News outage, a
# one-minute LLM outage, 3% garbled answers, store scaled 1 -> 3 -> 1. CHAOS_ARGS=-Dchaos.seed=N repeats a run.
chaos:
	$(MVN_TEST) -Dsluice.shared.dir=$(SHARED) -pl topology -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test=PipelineChaosIT -Dit.excludedGroups= -Dfailsafe.failIfNoSpecifiedTests=false -Dsluice.chaos.long=true $(CHAOS_ARGS) verify

# Benchmarks (tools module, dev.sluice.tools.bench), side by side with their baselines; figures appended
# to data/bench/results.md
bench: build
	./sluice bench --hn-items $(SHARED)/fixtures/hn/items-25576000-25578999.jsonl --corpus $(SHARED)/corpus $(BENCH_ARGS)

docs: build
	./sluice config-docs > docs/configuration.md

clean:
	$(MVN) clean
	rm -rf data
