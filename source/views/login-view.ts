/**
 * The views of `panka login` (the session opened, then whether this machine's AWS identity can act
 * in the tenant's account; or one Login document once both are known) and `panka logout` (or one
 * Logout document). The session's token never appears in either.
 */
import type {AccessCheck} from '../../engine/admin.js';
import {jsonDocument} from '../render/json.js';
import {sayAccess} from './access-view.js';
import type {Views} from './view.js';

export interface OpenedSession {
	tenant: string;
	backend: string;
	sessionFile: string;
	expiresAt: string;
}

export interface LoginView {
	loggedIn(session: OpenedSession): void;
	/** The AWS access check that follows a login. */
	access(check: AccessCheck): void;
}

export const loginViews: Views<LoginView> = {
	human: (out) => ({
		loggedIn(session) {
			out.line(`${out.paint('✓', 'green', 'bold')} Logged in as tenant ${session.tenant} on ${session.backend}`);
			out.line(`Session saved to ${session.sessionFile} (expires ${session.expiresAt}); panka logout ends it.`);
		},
		access: (check) => sayAccess(out, check),
	}),
	json: (out) => {
		let opened: OpenedSession | undefined;
		return {
			loggedIn: (session) => {
				opened = session;
			},
			access: (awsAccess) => out.line(jsonDocument('Login', {...opened, awsAccess})),
		};
	},
};

export interface LogoutView {
	/** `backendSession`: what happened to the session on its backend, when the file named one. */
	loggedOut(sessionFile: string, backendSession: string | undefined): void;
	notLoggedIn(sessionFile: string): void;
}

export const logoutViews: Views<LogoutView> = {
	human: (out) => ({
		loggedOut: (file, ended) => out.line(`${out.paint('✓', 'green', 'bold')} Logged out (removed ${file}${ended ? `; ${ended}` : ''})`),
		notLoggedIn: (file) => out.line(`Not logged in (no session at ${file}).`),
	}),
	json: (out) => ({
		loggedOut: (sessionFile, ended) =>
			out.line(jsonDocument('Logout', {loggedIn: true, sessionFile, ...(ended ? {backendSession: ended} : {})})),
		notLoggedIn: (sessionFile) => out.line(jsonDocument('Logout', {loggedIn: false, sessionFile})),
	}),
};
