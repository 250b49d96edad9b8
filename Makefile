# Sluice — see README.md. Targets: build, run, preflight, test, schemas-check, bench, clean.
MVN ?= mvn -B -q
MVN_TEST ?= mvn -B --no-transfer-progress
SHARED ?= $(abspath ../shared)

.PHONY: build run preflight test unit bench clean docs schemas-check

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

# The compatibility gate: every schemas/*.avsc against the registry (the embedded one under ./data,
# or SCHEMAS_ARGS="--schema-registry-url URL") under BACKWARD; add --register to publish them.
# `make test` runs it too, on a fresh real registry (SchemaGateIT).
schemas-check: build
	./sluice schemas-check --schemas-dir schemas $(SCHEMAS_ARGS)

# Unit tests (surefire) and integration tests (failsafe) on a real broker, PostgreSQL, schema
# registry and Tesseract; SchemaGateIT is the schemas-check gate on a fresh registry.
test:
	$(MVN_TEST) -Dsluice.shared.dir=$(SHARED) verify

unit:
	$(MVN_TEST) -Dsluice.shared.dir=$(SHARED) -DskipITs verify

# Benchmarks, side by side with their baselines; figures appended to data/bench/results.md
bench: build
	./sluice bench --hn-items $(SHARED)/fixtures/hn/items-25576000-25578999.jsonl --corpus $(SHARED)/corpus $(BENCH_ARGS)

docs: build
	./sluice config-docs > docs/configuration.md

clean:
	$(MVN) clean
	rm -rf data
