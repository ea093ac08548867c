# The one image every role runs from: `run --role all|seal-open|dispatcher`, `sandbox`, `keys generate`.
#   docker build -t jose-payment-streams:local .
# Keys are never part of it: they are mounted at /app/keys (read-only) at run time.

# Build stage: Maven on JDK 17, building the executable jar from the sources alone.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# The pom first, on its own layer: the dependencies are downloaded again only when the pom changes, not on
# every change to a source file.
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src ./src
COPY topology ./topology
RUN mvn -q -B package -DskipTests

# Runtime stage: a JRE on Ubuntu, not Alpine. The Amazon Corretto Crypto Provider in the jar is a native library
# built for linux-x86_64 against glibc; on musl it does not load and every seal and open falls back to the JDK's
# RSA, about three times slower. (On an arm64 host the same fallback happens: the jar carries the x86_64 build.)
FROM eclipse-temurin:17-jre-noble
# A fixed uid/gid, so that a keys directory mounted from the host or a secret store can be made readable to
# exactly this user. /app/keys and /app/sandbox-keys belong to it so that a named volume mounted there starts
# out writable for the one-shot `keys generate`; the running roles mount them read-only.
RUN groupadd --system --gid 10001 jps \
    && useradd --system --uid 10001 --gid jps --home-dir /app --no-create-home --shell /usr/sbin/nologin jps \
    && mkdir -p /app/state /app/keys /app/sandbox-keys \
    && chown jps:jps /app/state /app/keys /app/sandbox-keys \
    && chmod 0750 /app/state /app/keys /app/sandbox-keys
WORKDIR /app
COPY --from=build /build/target/jose-payment-streams.jar /app/jose-payment-streams.jar
USER 10001:10001
# Kafka Streams' local state (the seal/open stores); rebuilt from the changelogs when lost, kept to start fast.
VOLUME ["/app/state"]
# metrics.port: the status page, /metrics, /health/live and /health/ready.
EXPOSE 9464
# curl comes with the eclipse-temurin base image. Liveness, not readiness: an engine that acts on this restarts
# a process whose dispatcher loop died or whose Streams client is in ERROR, not one that waits for its broker.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:9464/health/live || exit 1
# The heap follows the container's memory limit; leave a quarter for RocksDB, direct buffers and metaspace. On an
# OutOfMemoryError the process exits so that the orchestrator restarts it, instead of limping on half-broken.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/jose-payment-streams.jar"]
CMD ["run", "--role", "all"]
