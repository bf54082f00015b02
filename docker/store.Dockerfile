# syntax=docker/dockerfile:1.7
#
# The store image: one replica of the Wavestore server (modules/server) on a JRE.
#
# Build from the repository root:
#   docker build -f docker/store.Dockerfile -t wavestore/store:dev .
#
# See docker/README.md. Built here with buildah on bases made from Debian's packages (docker/build.sh).

ARG JDK_IMAGE=eclipse-temurin:17-jdk-jammy
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy
# The web UI's build needs Node.js 20.19 or newer, which the JDK image lacks.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- web: the UI (modules/server/src/main/web), as the server's Maven build would make it ----
FROM ${NODE_IMAGE} AS web
WORKDIR /src
COPY modules/server/src/main/web/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund --loglevel=error && WEB_OUT_DIR=/web npm run build --silent

# ---- build: the server and its runtime dependencies ----
FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY . .
# The UI built above goes where the Maven build would put it (target/classes/web), so it ships in the jar.
COPY --from=web /web modules/server/target/classes/web
# install (not package) so the second command finds the sibling modules in the local repository.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl modules/server -am install -DskipTests -Dweb.skip=true \
 && ./mvnw -B -q -pl modules/server dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory=target/lib \
 && mkdir -p /opt/wavestore/server \
 && cp modules/server/target/wavestore-server-*.jar /opt/wavestore/server/ \
 && cp -r modules/server/target/lib /opt/wavestore/server/lib

# ---- run ----
FROM ${JRE_IMAGE}
RUN useradd --uid 10001 --user-group --create-home --home-dir /var/lib/wavestore --shell /usr/sbin/nologin wavestore
COPY --from=build /opt/wavestore/server /opt/wavestore/server
# Cluster modes: JAVA_TOOL_OPTIONS=-Dconfig.file=/opt/wavestore/cluster-config/kubernetes.conf (charts/wavestore).
COPY cluster-config/ /opt/wavestore/cluster-config/
USER 10001:10001
WORKDIR /var/lib/wavestore
# Listen on every interface inside the container. With the development identity the store refuses to do that
# unless WAVESTORE_DEV_IDENTITY_ALLOW_NON_LOOPBACK=true (see docker/README.md): a deliberate stop, not a bug.
ENV WAVESTORE_HTTP_HOST=0.0.0.0 \
    WAVESTORE_DATA_DIR=/var/lib/wavestore/data
# 8080: the store; 8558: management HTTP (/alive, /ready, /metrics, cluster bootstrap); 25520: the Pekko cluster.
EXPOSE 8080 8558 25520
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/wavestore/server/*:/opt/wavestore/server/lib/*", \
            "io.wavestore.server.Main"]
