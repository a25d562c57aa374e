# syntax=docker/dockerfile:1
# The ozg-forms host as a container, built from the release build CI tests (npm run release →
# npm ci --omit=dev → node server/main.js; packages/server/test/release.test.ts). No image can be
# built on the development machines, so this file only ever runs what that test runs.
#
#   docker build -t ozg-forms-host .
#   docker run --read-only -p 8080:8080 -v ozg-data:/data ozg-forms-host      # demo with the examples
#
# Production: mount the configuration at /config (read-only), set OZG_PUBLIC_URL, DATABASE_URL and
# OZG_CLAMD — see deploy/compose.yaml and docs/deployment.md.

FROM node:20-bookworm-slim AS build
WORKDIR /src
# Dependencies first, so a change in the sources does not reinstall them.
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/elements/package.json packages/elements/
COPY packages/server/package.json packages/server/
COPY packages/cli/package.json packages/cli/
COPY packages/console/package.json packages/console/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run release \
 && mv dist/release/ozg-forms-*/ /release \
 && cd /release \
 && npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    OZG_DATA_DIR=/data \
    OZG_CONFIG_DIR=/app/examples
WORKDIR /app
COPY --from=build --chown=root:root /release/ /app/
# The data volume is the only place the host writes (database, spool, mail copies).
RUN mkdir /data && chown node:node /data && chmod 700 /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/api/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server/main.js"]
