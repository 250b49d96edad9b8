# Sluice — see README.md. Targets: build, run, test, bench, clean.
MVN ?= mvn -B -q
SHARED ?= $(abspath ../shared)

.PHONY: build run test unit bench clean docs

build:
	$(MVN) -DskipTests install

# The main job on embedded defaults: a KRaft broker and PostgreSQL under ./data, the Hacker News
# path against the live API (override with HN_BASE_URL=http://127.0.0.1:PORT).
HN_BASE_URL ?= https://hacker-news.firebaseio.com
run: build
	./sluice run --hn-base-url $(HN_BASE_URL) $(RUN_ARGS)

# Unit tests (surefire) and integration tests (failsafe) on a real broker, PostgreSQL and Tesseract.
test:
	$(MVN) -Dsluice.shared.dir=$(SHARED) verify

unit:
	$(MVN) -Dsluice.shared.dir=$(SHARED) test

bench: build
	./bench/run-bench.sh

docs: build
	./sluice config-docs > docs/configuration.md

clean:
	$(MVN) clean
	rm -rf data
