# syntax=docker/dockerfile:1
# Ovation's container image: one image for every role, the subcommand picks it:
#   docker run --rm ghcr.io/ovation/ovation:0.1.0-SNAPSHOT ingest
# It holds the launcher jar that the build made and tested, so build that first:
#   ./mvnw -B -ntp -DskipTests package -pl ovation-launcher -am
#   docker build -t ghcr.io/ovation/ovation:0.1.0-SNAPSHOT .
# The Jib profile of ovation-launcher/pom.xml builds the same image without Docker; ContainerImageIT keeps
# the two alike and runs this ENTRYPOINT for every role. Why this base, and how to run it: docs/image.md.

# Temurin's JRE on Ubuntu 24.04: maintained (quarterly Java updates, Ubuntu security fixes), and it has what
# the redis-server bundled for standalone and infra needs: glibc 2.34 or later, OpenSSL 3, and `uname`,
# which the embedded Redis runs to pick its binary. The same Java 17 the project is built and tested on.
FROM eclipse-temurin:17-jre-noble

COPY ovation-launcher/target/ovation.jar /app/ovation.jar

# standalone and infra keep their data in ./data unless given --data-dir: /tmp is writable by any user
WORKDIR /tmp
# numeric, so that Kubernetes' runAsNonRoot can check it without a user database in the image
USER 10001:10001
# ingest HTTP and gRPC, results, counter (metrics and health)
EXPOSE 8080 50051 8088 8090
# exec form: no shell runs between the container and Java, which gets SIGTERM itself and stops cleanly
ENTRYPOINT ["java", "-XX:+UseG1GC", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/ovation.jar"]
CMD ["--help"]
