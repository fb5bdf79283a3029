// Builds the stores that reach outside the workflow: the vault (secrets, and the
// connections whose passwords it keeps), variables, email templates, and the plugin
// actions found in KHAOSFLOW_PLUGINS (added to the built-ins in this process's action registry). Opening the vault proves the master key reads
// the stored secrets; start-up stops here with what to do when it does not.
import { builtinActionRegistry } from './actions/index.js';
import type { ActionDefinition } from './core/action.js';
import { createEmailTemplateStore, templatesDir } from './email-templates/store.js';
import { loadPlugins, pluginsDir } from './plugins/loader.js';
import { openVault } from './vault.js';
import type { Services } from './services.js';
import { createVariableStore } from './variables/store.js';

type OutsideWorld = Pick<Services, 'connections' | 'secrets' | 'variables' | 'emailTemplates' | 'vault' | 'actions'>;

export async function openOutsideWorld(
  base: Omit<Services, keyof OutsideWorld>,
  env: NodeJS.ProcessEnv = process.env,
  opts: {
    plugins?: boolean /** More action types beside built-ins and plugins (tests). */;
    actions?: readonly ActionDefinition<any>[];
  } = {},
): Promise<OutsideWorld> {
  const vault = await openVault({ db: base.db, env, home: base.config.home, logger: base.logger });
  // One-shot commands (secrets, keys, ...) skip plugins: a broken plugin must not lock an operator out of the vault.
  const actions = builtinActionRegistry();
  for (const action of opts.actions ?? []) actions.register(action);
  if (opts.plugins ?? true) await loadPlugins({ ...pluginsDir(env), logger: base.logger, actions });
  return {
    actions,
    vault,
    connections: vault.connections,
    secrets: vault.secrets,
    variables: createVariableStore(base.db, { env }),
    emailTemplates: createEmailTemplateStore(base.db, { dir: templatesDir(base.config.home) }),
  };
}
