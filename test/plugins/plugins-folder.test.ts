// Plugins run with KhaosFlow's rights, so they load only from an absolute, configured
// folder (issue 18, low): never ./plugins of whatever directory KhaosFlow started in.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PluginError, pluginsDir } from '../../server/plugins/loader.js';

describe('the plugin folder', () => {
  it('defaults to $KHAOSFLOW_HOME/plugins, not the working directory', () => {
    expect(pluginsDir({ KHAOSFLOW_HOME: '/srv/khaosflow' })).toEqual({ dir: '/srv/khaosflow/plugins', explicit: false });
    expect(pluginsDir({ KHAOSFLOW_HOME: '/srv/khaosflow' }).dir).not.toBe(path.resolve('plugins'));
  });

  it('takes KHAOSFLOW_PLUGINS only as an absolute path', () => {
    expect(pluginsDir({ KHAOSFLOW_PLUGINS: '/opt/kf-plugins/' })).toEqual({ dir: '/opt/kf-plugins/', explicit: true });
    expect(() => pluginsDir({ KHAOSFLOW_PLUGINS: 'plugins' })).toThrow(PluginError);
    expect(() => pluginsDir({ KHAOSFLOW_PLUGINS: './my-plugins' })).toThrow(/relative path: give the plugin folder as an absolute path/);
  });
});
