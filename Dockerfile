# syntax=docker/dockerfile:1

# Gas stock API. Two stages: the build stage compiles TypeScript with the dev
# dependencies; the runtime stage holds production dependencies and dist/ only,
# and runs as the unprivileged `node` user.
#
#   docker build -t gas-stock-api .
#   docker run --rm -e DATABASE_URL=... -e JWT_SECRET=... gas-stock-api node dist/src/scripts/migrate.js run
#   docker run --init -p 3000:3000 -e DATABASE_URL=... -e JWT_SECRET=... gas-stock-api
#
# The image has no Nest CLI and no sources, so the npm scripts that build first
# do not apply inside it; use the compiled scripts:
#   node dist/src/scripts/migrate.js run | revert
#   node dist/src/scripts/create-admin.js --username ... --email ...   (password from ADMIN_PASSWORD)
#   node dist/src/scripts/seed.js                                      (refuses NODE_ENV=production without --allow-production)

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build ------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# Dependencies first, so editing the sources does not invalidate this layer.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npx nest build

# ---- runtime ----------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app

COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

# Owned by root and read-only for the app; only data/ is writable, for the
# embedded database should the container be started without DATABASE_URL.
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data

USER node
EXPOSE 3000

# Liveness only (no database check), so a slow database does not get the
# container restarted; /health/ready checks the database.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# The same V8 flags as `npm run start:prod` (see README, Performance).
CMD ["node", "--max-semi-space-size=16", "--max-old-space-size=192", "--no-allocation-site-pretenuring", "dist/src/main.js"]
