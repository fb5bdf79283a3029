# KhaosFlow image: `khaosflow start` by default; `command: worker` for workers.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY bin ./bin
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production KHAOSFLOW_HOME=/data
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
COPY --from=build /app/build ./build
COPY --from=build /app/sql ./sql
USER node
EXPOSE 3001
ENTRYPOINT ["node", "bin/khaosflow.js"]
CMD ["start"]
