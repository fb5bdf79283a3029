// The folder graph (see ../shared/CONVENTIONS.md "Shape of the layers"): arrows point
// down only. core <- workflow, expression <- engine <- actions, connectors <- triggers
// <- services (runs, workflows, settings) <- http, console (app/), cli.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'A cycle makes both ends one layer.', from: {}, to: { circular: true } },
    {
      name: 'app-not-db',
      severity: 'error',
      comment: 'Console routes call the service layer, never queries.',
      from: { path: '^app/' },
      to: { path: '^db/' },
    },
    {
      name: 'low-not-engine-or-http',
      severity: 'error',
      comment: 'files, connections and triggers use server/core/, not the engine or the HTTP layer.',
      from: { path: '^server/(files|connections|triggers)/' },
      to: { path: '^server/(engine|http)/' },
    },
    {
      name: 'engine-not-actions',
      severity: 'error',
      comment: 'The engine is handed a registry of actions.',
      from: { path: '^server/engine/' },
      to: { path: '^server/actions/' },
    },
    { name: 'files-not-actions', severity: 'error', from: { path: '^server/files/' }, to: { path: '^server/actions/' } },
    { name: 'db-not-server', severity: 'error', comment: 'db/ is below server/.', from: { path: '^db/' }, to: { path: '^server/' } },
    { name: 'secrets-not-connections', severity: 'error', from: { path: '^server/secrets/' }, to: { path: '^server/connections/' } },
    {
      name: 'core-is-the-bottom',
      severity: 'error',
      comment: 'server/core/ imports nothing of ours above it.',
      from: { path: '^server/core/' },
      to: { path: '^(server/(?!core/)|db/|app/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)(node_modules|build|dist|\\.react-router)/' },
  },
};
