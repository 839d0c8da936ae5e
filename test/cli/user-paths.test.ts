/** Where panka keeps its files: PANKA_CONFIG_DIR, then the XDG base directories, then the paths panka always used. */
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli} from '../helpers/run-cli.js';
import {tempDir} from '../helpers/stack-fixture.js';
import {commands} from '../../source/command-table.js';
import {configDir, sessionPath, stateDir, userConfigPath} from '../../source/user-paths.js';

const at = (env: Record<string, string>) => ({cwd: '/work', env: {HOME: '/home/me', ...env}});

describe('user paths', () => {
	it('default to ~/.config/panka for the config and the session, as before', () => {
		expect(userConfigPath(at({}))).toBe('/home/me/.config/panka/config.json');
		expect(sessionPath(at({}))).toBe('/home/me/.config/panka/session.json');
	});

	it('follow XDG_CONFIG_HOME for the config and XDG_STATE_HOME for the session', () => {
		expect(configDir(at({XDG_CONFIG_HOME: '/xdg/config'}))).toBe('/xdg/config/panka');
		expect(stateDir(at({XDG_CONFIG_HOME: '/xdg/config'}))).toBe('/xdg/config/panka');
		expect(sessionPath(at({XDG_STATE_HOME: '/xdg/state'}))).toBe('/xdg/state/panka/session.json');
		expect(userConfigPath(at({XDG_STATE_HOME: '/xdg/state'}))).toBe('/home/me/.config/panka/config.json');
	});

	it('ignore an empty or relative XDG variable, as the specification says', () => {
		expect(configDir(at({XDG_CONFIG_HOME: ''}))).toBe('/home/me/.config/panka');
		expect(stateDir(at({XDG_STATE_HOME: 'state'}))).toBe('/home/me/.config/panka');
	});

	it('put both in PANKA_CONFIG_DIR when it is set (relative to the working folder, ~ expanded)', () => {
		const env = {PANKA_CONFIG_DIR: 'conf', XDG_CONFIG_HOME: '/xdg/config', XDG_STATE_HOME: '/xdg/state'};
		expect(userConfigPath(at(env))).toBe('/work/conf/config.json');
		expect(sessionPath(at(env))).toBe('/work/conf/session.json');
		expect(configDir(at({PANKA_CONFIG_DIR: '~/p'}))).toBe('/home/me/p');
	});

	it('are what panka login --help says: the session falls back to the config folder, XDG_CONFIG_HOME included', () => {
		expect(sessionPath(at({XDG_CONFIG_HOME: '/xdg/config'}))).toBe('/xdg/config/panka/session.json');
		expect(commands.login!.details).toContain(
			'in $PANKA_CONFIG_DIR, else $XDG_STATE_HOME/panka, else the config folder ($XDG_CONFIG_HOME/panka, else ~/.config/panka)',
		);
	});
});

describe('panka admin init, through the real binary', () => {
	it('remembers the backend in $XDG_CONFIG_HOME/panka/config.json', () => {
		const root = tempDir();
		const xdg = path.join(root, 'xdg-config');
		const result = runCli(['admin', 'init', '--home', path.join(root, 'backend')], {
			env: {HOME: root, PANKA_CONFIG_DIR: undefined, XDG_CONFIG_HOME: xdg},
		});
		expect(result.code, result.stderr).toBe(0);
		expect(JSON.parse(readFileSync(path.join(xdg, 'panka', 'config.json'), 'utf8'))).toMatchObject({backend: path.join(root, 'backend')});
		expect(existsSync(path.join(root, '.config'))).toBe(false);
	});
});
