# KhaosFlow image: `khaosflow start` by default; `command: worker --metrics-port 9464` for workers.
# test/container/runtime-layout.test.ts builds the same runtime layout without Docker
# (this user, these paths, docker-compose.yml's environment) and runs the spec's three
# example workflows in it; it reads the package list and HEALTHCHECK from this file.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY bin ./bin
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
# What workflows call out to:
#   postgresql-client  pg_dump/psql for the spec's Daily Database Backup (Debian bookworm
#                      ships version 15; pg_dump refuses a newer server, so compose runs
#                      postgres:15 - for a newer server install postgresql-client-N from
#                      apt.postgresql.org)
#   python3            run_script steps with runtime: python
#   bubblewrap         the sandbox every run_script step runs in (SECURITY.md): the
#                      engine runs as `node`, scripts in their own user, PID, IPC and
#                      network namespaces without its environment or /data. bwrap needs
#                      unprivileged user namespaces, which Docker's default seccomp and
#                      AppArmor profiles refuse: see security_opt in docker-compose.yml.
#   gzip, ca-certificates  the backup example's compression; HTTPS to outside systems
RUN apt-get update \
  && apt-get install -y --no-install-recommends postgresql-client python3 bubblewrap gzip ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production KHAOSFLOW_HOME=/data PORT=3001
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/build ./build
COPY --from=build /app/sql ./sql
COPY --from=build /app/examples ./examples
# /data holds the generated secret.key (mode 0600), email templates and, without
# DATABASE_URL, the embedded Postgres: owned by the runtime user, so a fresh named
# volume (which copies this folder's owner) is writable by it.
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
VOLUME /data
USER node
EXPOSE 3001
# /healthz answers 200 only while the database answers. A worker has no web port: it
# serves /healthz on --metrics-port, which HEALTHCHECK_PORT names (docker-compose.yml).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HEALTHCHECK_PORT || process.env.PORT || 3001) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/khaosflow.js"]
CMD ["start"]
