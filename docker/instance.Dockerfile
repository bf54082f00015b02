# syntax=docker/dockerfile:1.7
#
# The instance image: one generic image for every app instance (one per Python version: PYTHON_IMAGE, e.g.
# python:3.10-slim-bookworm; the store picks the image for an app's RuntimeVersion from its table). Its main process is the Wavestore launcher
# (modules/launcher), which downloads the app's bundle from the store, installs its dependencies into a venv,
# starts waved and the app, and reports progress. Everything app-specific arrives at run time through the
# launcher's environment variables (modules/launcher/README.md); nothing app-specific is baked in.
#
# Build from the repository root (the build stage compiles the launcher with the Maven wrapper):
#   docker build -f docker/instance.Dockerfile -t wavestore/instance:dev .
#
# See docker/README.md. Built here with buildah on bases made from Debian's packages (docker/build.sh).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG JDK_IMAGE=eclipse-temurin:17-jdk-jammy

# ---- build: the launcher jar and a small Java runtime made for it ----
FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl modules/launcher -am package -DskipTests
# jdeps on the launcher and its jars names java.base, java.desktop (Jackson's java.beans), java.net.http and
# java.sql; jdk.crypto.ec adds the elliptic-curve ciphers TLS to an https store needs. About 50 MB instead of a
# 200 MB JRE.
RUN jlink --add-modules java.base,java.desktop,java.net.http,java.sql,jdk.crypto.ec \
        --strip-debug --no-man-pages --no-header-files --compress=2 --output /opt/java \
 && mkdir -p /opt/wavestore/launcher \
 && cp modules/launcher/target/wavestore-launcher-*.jar /opt/wavestore/launcher/wavestore-launcher.jar \
 && cp -r modules/launcher/target/lib /opt/wavestore/launcher/lib

# ---- run: Python for the apps, the small JRE and the launcher ----
FROM ${PYTHON_IMAGE}
# tini is PID 1: it passes SIGTERM to the launcher (which passes it to the app and waved) and reaps orphaned
# grandchildren, which a JVM as PID 1 would leave as zombies.
# uv (the PyPI wheel: one static binary) builds each (requirements.txt, Python) environment once in the dependency
# cache the chart mounts; later instance pods on the node copy it instead of installing. It is installed with a venv's
# own pip, which both the public python images and a Debian base with python3-venv (docker/build.sh) have.
ARG UV_VERSION=0.13.9
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && python3 -m venv /opt/uv \
 && /opt/uv/bin/pip install --no-cache-dir --disable-pip-version-check "uv==${UV_VERSION}" \
 && ln -s /opt/uv/bin/uv /usr/local/bin/uv \
 && useradd --uid 10001 --user-group --create-home --home-dir /home/wave --shell /usr/sbin/nologin wave
COPY --from=build /opt/java /opt/java
# The jar's manifest finds its dependencies in lib/ next to it.
COPY --from=build /opt/wavestore/launcher /opt/wavestore/launcher

# Non-root: packages.txt is then skipped (and reported). A cluster that allows it can run the pod as root.
USER 10001:10001
WORKDIR /home/wave
# uv trusts its own built-in roots unless SSL_CERT_FILE names a bundle: the system one, with any CA the image adds.
# Defaults the Helm chart may override; the store sets the per-instance variables (id, bundle URL, digest,
# token, progress URL, base URL, env, files). A resource volume, when mounted, goes at WAVESTORE_VENV_DIR so the
# venv survives restarts.
ENV JAVA_HOME=/opt/java \
    WAVESTORE_WORK_DIR=/home/wave/app \
    WAVESTORE_VENV_DIR=/home/wave/venv \
    WAVESTORE_WAVE_DATA_DIR=/home/wave/wave-data \
    WAVESTORE_LISTEN_ADDRESS=:10101 \
    WAVESTORE_PYTHON=/usr/local/bin/python3 \
    WAVESTORE_UV=/usr/local/bin/uv \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    WAVESTORE_APP_FILES_ROOTS=/ \
    PIP_DISABLE_PIP_VERSION_CHECK=1
EXPOSE 10101
# A small heap: the launcher only copies output lines and polls; the pod's memory belongs to the app.
ENTRYPOINT ["/usr/bin/tini", "--", "/opt/java/bin/java", "-XX:+UseSerialGC", "-Xms8m", "-Xmx48m", \
            "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=16m", "-Xss512k", \
            "-jar", "/opt/wavestore/launcher/wavestore-launcher.jar"]
