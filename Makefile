# Sluice — see README.md. Targets: build, run, test, bench, clean.
MVN ?= mvn -B -q
MVN_TEST ?= mvn -B --no-transfer-progress
SHARED ?= $(abspath ../shared)

.PHONY: build run test unit bench clean docs

build:
	$(MVN) -DskipTests package

# The main job on embedded defaults: a KRaft broker and PostgreSQL under ./data, the Hacker News
# path against the live API (override with HN_BASE_URL=http://127.0.0.1:PORT).
HN_BASE_URL ?= https://hacker-news.firebaseio.com
run: build
	./sluice run --hn-base-url $(HN_BASE_URL) $(RUN_ARGS)

# Unit tests (surefire) and integration tests (failsafe) on a real broker, PostgreSQL and Tesseract.
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
