# Sluice: one image for every stage (`sluice run --stages <name>`), the lag exporter and the CLI.
# Build after `make build` (the image copies the launcher, topology/target/sluice.jar and its lib/):
#   make build && docker build -t sluice:0.1.0 .
# Only the app is shipped: not the tools module (bench, autoscale-demo, hn-replay, llm-replay) nor the
# test kit (the fakes), so `sluice --help` in the image lists the production commands only.
# Debian 12 with Tesseract 5.3 (the documents path's OCR; Tess4J 5.11 matches it) and a JRE 17.
FROM debian:12-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless tesseract-ocr tesseract-ocr-eng \
      fonts-dejavu-core ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 sluice \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /var/lib/sluice --shell /usr/sbin/nologin sluice \
 && mkdir -p /var/lib/sluice /etc/sluice/config /etc/sluice/credentials \
 && chown 10001:10001 /var/lib/sluice

WORKDIR /opt/sluice
COPY sluice ./sluice
COPY topology/target/sluice.jar ./topology/target/sluice.jar
COPY topology/target/lib ./topology/target/lib

# one Tesseract thread per page: replicas, not threads, add OCR throughput (see docs/scaling.md)
ENV OMP_THREAD_LIMIT=1 \
    SLUICE_JAVA_OPTS="-XX:MaxRAMPercentage=70 -Djava.io.tmpdir=/tmp"
USER 10001:10001
EXPOSE 9400
ENTRYPOINT ["/opt/sluice/sluice"]
CMD ["--help"]
