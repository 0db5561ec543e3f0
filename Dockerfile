# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with the full dev toolchain, installed exactly from the lockfile.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY seeds ./seeds
COPY bench ./bench
RUN npx tsc -p tsconfig.build.json

# Runtime stage: production dependencies only (no embedded PostgreSQL, no compiler) and the compiled
# output, as the unprivileged node user. DATA_DIR is a volume owned by that user.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=4000 DATA_DIR=/var/lib/vneid
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
RUN mkdir -p /var/lib/vneid && chown node:node /var/lib/vneid
VOLUME /var/lib/vneid
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# A bounded heap: past it V8 collects harder instead of growing until the host runs out (see README).
CMD ["node", "--max-old-space-size=512", "dist/src/main.js"]
