# syntax=docker/dockerfile:1
# CSES Certificate Wizard — production image (Azure mode). Next.js standalone output: a self-contained server.js with
# only the node_modules it traces. Build:  docker build -t cses-cert-wizard .
# Run:    docker run -p 3000:3000 --env-file .env.production cses-cert-wizard      (variables: .env.example)
# The image holds no secret and no state; run as many replicas as you like behind a load balancer (README).

ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# The lint workspace is part of the lockfile, so npm ci needs its manifest (its tools stay in this build stage).
COPY tools/lint/package.json ./tools/lint/
RUN npm ci --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT=standalone
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npx next build

FROM node:${NODE_VERSION}-bookworm-slim AS run
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
COPY --from=build --chown=node:node /app/.next/standalone ./
COPY --from=build --chown=node:node /app/.next/static ./.next/static
# Unprivileged, read-only friendly: the server writes nothing but its JSON log lines to stdout.
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/openapi.json').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "server.js"]
