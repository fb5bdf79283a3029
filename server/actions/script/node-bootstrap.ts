// The program a pre-forked script process runs (`node -e`, so the unprivileged script
// user needs no access to KhaosFlow's files). It waits for one job on the IPC channel,
// runs the code as the body of `async function (context, require)`, sends back the
// JSON result or the error with its line in the user's code, and exits: a process
// never runs two scripts, so nothing one script leaves behind reaches another.
//
// The code is compiled with vm and the file name `script.js`, one line above the
// user's first line for the wrapper; lineOffset -1 makes stack lines count from the
// user's own first line.

export const NODE_BOOTSTRAP = String.raw`
'use strict';
const vm = require('node:vm');
const path = require('node:path');
const { createRequire } = require('node:module');
process.on('disconnect', () => process.exit(0));
function where(err) {
  const stack = err && typeof err.stack === 'string' ? err.stack : '';
  const m = /script\.js:(\d+)(?::(\d+))?/.exec(stack);
  return m ? { line: Number(m[1]), column: m[2] ? Number(m[2]) : null } : { line: null, column: null };
}
function describe(err, syntax) {
  const isError = err instanceof Error;
  return Object.assign({ name: isError ? err.name : 'Error', message: isError ? err.message : String(err), syntax }, where(err));
}
function finish(message) {
  process.removeAllListeners('disconnect');
  let sent = false;
  const send = () => {
    if (sent) return;
    sent = true;
    process.send(message, () => process.exit(0));
  };
  // Writes to a full pipe are queued; the reply must wait until the output is out,
  // because the worker stops the process as soon as the reply arrives.
  let pending = 2;
  const flushed = () => { if (--pending === 0) send(); };
  try {
    process.stdout.write('', flushed);
    process.stderr.write('', flushed);
  } catch {
    send();
  }
  setTimeout(send, 2000).unref();
}
process.once('message', async (job) => {
  try {
    process.chdir(job.cwd);
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, job.env);
  } catch (err) {
    return finish({ ok: false, error: describe(err, false) });
  }
  let fn;
  try {
    const options = { filename: 'script.js', lineOffset: -1 };
    if (vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER) options.importModuleDynamically = vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
    fn = vm.runInThisContext('(async function (context, require) {\n' + job.code + '\n})', options);
  } catch (err) {
    return finish({ ok: false, error: describe(err, true) });
  }
  try {
    const value = await fn(job.context, createRequire(path.join(job.cwd, 'script.js')));
    const json = JSON.stringify(value === undefined ? null : value);
    if (json === undefined) return finish({ ok: true, json: 'null' });
    if (json.length > job.maxResultBytes) {
      return finish({ ok: false, error: { name: 'ResultTooLarge', message: 'the returned value is ' + json.length + ' bytes as JSON, more than the limit of ' + job.maxResultBytes, syntax: false, line: null, column: null } });
    }
    finish({ ok: true, json });
  } catch (err) {
    finish({ ok: false, error: describe(err, false) });
  }
});
`;
