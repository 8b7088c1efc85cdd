# syntax=docker/dockerfile:1
# Operator image: built with Maven (the README's command, every test included), run on a JRE as a non-root user.
#   docker build -t serverless-data-stack-operator .

FROM node:22-bookworm-slim AS node

FROM maven:3.9-eclipse-temurin-17 AS build
# Node.js 20+ and npm: the build runs the request handler's tests and validates the template against the
# CloudFormation resource specification (an npm package)
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
# kubectl: the sandbox's end-to-end test drives the real client; checked against the release's published SHA-256
ARG KUBECTL_VERSION=v1.32.4
ARG TARGETARCH=amd64
RUN (command -v curl >/dev/null || (apt-get update && apt-get install -y --no-install-recommends curl ca-certificates)) \
 && curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${TARGETARCH}/kubectl" \
 && echo "$(curl -fsSL "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${TARGETARCH}/kubectl.sha256")  /usr/local/bin/kubectl" \
    | sha256sum -c - \
 && chmod 0755 /usr/local/bin/kubectl
WORKDIR /src
COPY . .
# every module's tests; the image takes the operator's shaded jar only (the sandbox and the simulator, in
# sandbox/, and the fabric8 mock server stay in this stage)
RUN mvn -B verify \
 && cp operator/target/serverless-data-stack-operator-*.jar /operator.jar

FROM eclipse-temurin:17-jre
ARG VERSION=0.1.0-SNAPSHOT
LABEL org.opencontainers.image.title="serverless-data-stack-operator" \
      org.opencontainers.image.description="Kubernetes operator that drives an AWS CloudFormation serverless data-processing stack per ServerlessDataStack resource" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:17-jre"
COPY --from=build --chown=0:0 --chmod=0444 /operator.jar /opt/operator/operator.jar
# a numeric non-root user, so that runAsNonRoot can verify it without /etc/passwd
USER 10001:10001
EXPOSE 8080
# heap from the container's memory limit; die (and be restarted) rather than limp on after an OOM; one copy of each
# string the informer cache repeats in every resource's status (resource types, logical ids: docs/performance.md).
# The scale run starts its operator with these same flags.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-XX:+UseStringDeduplication", "-jar", "/opt/operator/operator.jar"]
CMD ["run"]
