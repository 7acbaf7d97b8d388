# syntax=docker/dockerfile:1
# Ovation's container image: one image for every role, the subcommand picks it:
#   docker run --rm ghcr.io/ovation/ovation:0.1.0-SNAPSHOT ingest
# It holds the jars that the build made, so build those first:
#   ./mvnw -B -ntp -DskipTests package -pl ovation-launcher -am
#   docker build -t ghcr.io/ovation/ovation:0.1.0-SNAPSHOT \
#     --build-arg OVATION_REVISION="$(git rev-parse HEAD)" --build-arg OVATION_CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" .
# The Jib profile of ovation-launcher/pom.xml builds the same image without Docker; ContainerImageIT keeps
# the two alike and runs this ENTRYPOINT for every role. Why this base, and how to run it: docs/image.md.

# Temurin's JRE 17 on Ubuntu 24.04, pinned by the digest of its multi-platform index (amd64, arm64, ...): the
# same bytes on every build until this line changes (docs/image.md says how to move it). Maintained (quarterly
# Java updates, Ubuntu security fixes), and it has what the redis-server bundled for standalone and infra needs:
# glibc 2.34 or later, OpenSSL 3, and `uname`, which the embedded Redis runs to pick its binary.
FROM eclipse-temurin:17-jre-noble@sha256:76bf6d763e84e4d286d5ee3df61e4adeca214977f83c7d8d2327b93db582dd9d

# the Maven project's version; revision and creation time come from the build command
ARG OVATION_VERSION=0.1.0-SNAPSHOT
ARG OVATION_REVISION=unknown
ARG OVATION_CREATED=unknown
LABEL org.opencontainers.image.title="Ovation" \
      org.opencontainers.image.description="Live audience voting: every role (ingest, counter, results, recount, loadgen, standalone) in one image" \
      org.opencontainers.image.version="${OVATION_VERSION}" \
      org.opencontainers.image.revision="${OVATION_REVISION}" \
      org.opencontainers.image.created="${OVATION_CREATED}" \
      org.opencontainers.image.source="https://github.com/ovation/ovation" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:17-jre-noble" \
      org.opencontainers.image.base.digest="sha256:76bf6d763e84e4d286d5ee3df61e4adeca214977f83c7d8d2327b93db582dd9d"

# Two layers: the third-party classes first, which change only when a dependency does, so a new build of
# Ovation sends and stores only the second, Ovation's own classes (a few MB). Together they hold what
# ovation.jar holds; /app/ovation.jar names the other in its Class-Path.
COPY ovation-launcher/target/image/lib/ovation-dependencies.jar /app/lib/ovation-dependencies.jar
COPY ovation-launcher/target/image/ovation.jar /app/ovation.jar

# standalone and infra keep their data in ./data unless given --data-dir: /tmp is writable by any user
WORKDIR /tmp
# numeric, so that Kubernetes' runAsNonRoot can check it without a user database in the image
USER 10001:10001
# ingest HTTP, management and gRPC; results HTTP and management; counter (metrics and health)
EXPOSE 8080 8081 50051 8088 8089 8090
# exec form: no shell runs between the container and Java, which gets SIGTERM itself and stops cleanly
ENTRYPOINT ["java", "-XX:+UseG1GC", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/ovation.jar"]
CMD ["--help"]
