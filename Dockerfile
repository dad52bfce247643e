# Switchyard's container image: a static binary (pure-Go SQLite, no cgo) on
# distroless, as a non-root user. docs/deploy.md says how to run it.
#
#   docker build -t switchyard .
#   docker run --rm -p 8080:8080 switchyard serve --demo --addr 0.0.0.0:8080
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/switchyard ./cmd/switchyard \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/switchyard /usr/local/bin/switchyard
# The SQLite request log (store.path, relative to this directory) needs a
# writable directory owned by the non-root user: mount a volume here, or
# use PostgreSQL (store.driver: postgres). The demo's store is in /tmp.
COPY --from=build --chown=65532:65532 /out/data /var/lib/switchyard
WORKDIR /var/lib/switchyard
USER nonroot:nonroot
EXPOSE 8080
# /readyz on server.addr :8080 (override --url for another port); the image has no curl.
HEALTHCHECK --interval=10s --timeout=3s CMD ["/usr/local/bin/switchyard", "health"]
ENTRYPOINT ["/usr/local/bin/switchyard"]
CMD ["serve", "--config", "/etc/switchyard/switchyard.yaml"]
