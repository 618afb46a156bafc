# banli: one static binary on a small Debian.
#   docker build -t banli .
#   docker compose up        (with PostgreSQL; see docker-compose.yml)

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/banli ./cmd/banli

FROM debian:bookworm-slim
# ca-certificates: TLS to PostgreSQL and the identity provider; tzdata: the
# host's zones (banli embeds Asia/Shanghai itself); wget: the health check.
RUN apt-get update \
	&& apt-get install -y --no-install-recommends ca-certificates tzdata wget \
	&& rm -rf /var/lib/apt/lists/* \
	&& useradd --system --uid 10001 --user-group --home-dir /nonexistent --shell /usr/sbin/nologin banli
COPY --from=build /out/banli /usr/local/bin/banli
USER banli:banli
ENV BANLI_LISTEN_ADDR=0.0.0.0:8080 \
	BANLI_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
	CMD wget -q -O /dev/null http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["banli"]
CMD ["serve"]
