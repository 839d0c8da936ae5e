/**
 * Checkpointing during an apply: one writer owns the state document for the whole run.
 *
 * Invariants:
 * - Writes are serialised: each write is the successor of the last one (serial + 1, same lineage,
 *   based on the last etag), so parallel operations never race each other; the lock keeps other
 *   processes out.
 * - Changes apply to the live `document` at once (so a dependent starting right after sees its
 *   dependency's outputs), and are made durable by group commit: changes that arrive while a write
 *   is in flight are saved together by the next write. A `commit` resolves only once a write that
 *   contains its change has succeeded, so awaiting it makes an operation's intent (pending)
 *   durable before it touches AWS. Many parallel operations cost few writes.
 * - After one failed write the writer is `broken`: later commits only update the in-memory
 *   document (nothing more is written over an unknown blob), which stays the successor of the last
 *   stored state (its serial is that one's + 1, however many writes failed), and the caller saves
 *   it as an errored-state file with instructions to push it (`panka state push` accepts exactly
 *   such a successor). `commit` says whether its change was made durable (true) or only kept in
 *   memory (false), so an operation whose intent could not be saved never touches AWS; `onBroken`
 *   fires once, at the failure, so the run can stop starting new operations at once.
 * - Every write carries the run's record (`metadata.run`, with `outcome: running`); `finish` writes
 *   the run's outcome once it has ended, only when the run wrote something (a run that changed
 *   nothing leaves no version behind).
 * - `saved` is the last document the backend accepted (undefined: none by this writer): what the
 *   recorded state says, to compare with what the run did (`document`) when a write failed.
 */
import type {Backend} from '../state/backend.js';
import type {RunRecordOutcome, RunRecord, StateDocument, StateKey} from '../state/state-document.js';
import {type StateBasis, writeState} from '../state/state-store.js';

export interface StateWriterOptions {
	backend: Backend;
	key: StateKey;
	/** Who and when, for metadata.deployedBy / deployedAt. */
	deployedBy: string;
	/** The promotable variables this run deploys, recorded as metadata.variables with every write. */
	variables?: Readonly<Record<string, string>>;
	/** The run, recorded as metadata.run with every write (history.ts). */
	run?: RunRecord;
	now: () => Date;
	onSaved?: (serial: number) => void;
	/** The first failed write: the writer is broken from now on. */
	onBroken?: (error: unknown) => void;
}

export class StateWriter {
	#document: StateDocument;
	#basis: StateBasis;
	/** Commits applied to the document and not yet part of a stored write. */
	#waiting: Array<(durable: boolean) => void> = [];
	#saved: StateDocument | undefined;
	#writing: Promise<void> | undefined;
	#error: unknown;
	#writes = 0;
	/** Whether `#basis.etag` came from this writer's own write (then no pre-read is needed). */
	#ownBasis = false;
	#run: RunRecord | undefined;

	constructor(
		initial: StateDocument,
		basis: StateBasis,
		readonly options: StateWriterOptions,
	) {
		this.#document = structuredClone(initial);
		this.#basis = basis;
		this.#run = options.run ? {...options.run, outcome: 'running'} : undefined;
	}

	get document(): StateDocument {
		return this.#document;
	}

	get broken(): boolean {
		return this.#error !== undefined;
	}

	get error(): unknown {
		return this.#error;
	}

	/** The last document the backend accepted from this writer (undefined before its first write). */
	get saved(): StateDocument | undefined {
		return this.#saved;
	}

	/** How many writes reached the backend (group commit makes this far fewer than commits). */
	get writes(): number {
		return this.#writes;
	}

	/**
	 * Apply `change` to the document now; resolves when a write containing it succeeded (true), or
	 * when the writer broke and the change stays in memory only (false).
	 */
	commit(change: (draft: StateDocument) => void): Promise<boolean> {
		change(this.#document);
		return new Promise<boolean>((resolve) => {
			this.#waiting.push(resolve);
			this.#writing ??= this.#drain();
		});
	}

	/**
	 * The run has ended: record its outcome with one last write, when it wrote anything (after a
	 * failed write, in the document kept in memory only). Resolves once that is done.
	 */
	async finish(outcome: Exclude<RunRecordOutcome, 'running'>): Promise<void> {
		await this.flush();
		if (!this.#run || (this.#writes === 0 && !this.broken)) return;
		this.#run = {...this.#run, outcome};
		await this.commit(() => {});
	}

	/** Resolves when every commit so far has been written (or recorded after a failure). */
	async flush(): Promise<void> {
		while (this.#writing) await this.#writing;
	}

	async #drain(): Promise<void> {
		// Start on a later microtask, so `#writing` is set before this can finish (even when no write awaits).
		await Promise.resolve();
		try {
			while (this.#waiting.length > 0) {
				const batch = this.#waiting.splice(0);
				const next = structuredClone(this.#document);
				next.serial = this.#basis.serial + 1;
				next.lineage = this.#basis.lineage;
				next.metadata = {
					...next.metadata,
					deployedBy: this.options.deployedBy,
					deployedAt: this.options.now().toISOString(),
					...(this.options.variables ? {variables: {...this.options.variables}} : {}),
					...(this.#run ? {run: {...this.#run, changes: {...this.#run.changes}}} : {}),
				};
				let durable = false;
				if (this.#error === undefined) {
					try {
						const {etag} = await writeState(this.options.backend, this.options.key, next, this.#basis, {
							basisWrittenBySelf: this.#ownBasis,
						});
						this.#basis = {etag, serial: next.serial, lineage: next.lineage};
						this.#ownBasis = true;
						this.#writes++;
						this.#saved = next;
						durable = true;
						this.options.onSaved?.(next.serial);
					} catch (error) {
						this.#error = error ?? new Error('the state write failed');
						this.options.onBroken?.(this.#error);
					}
				}
				this.#document.serial = next.serial;
				this.#document.metadata = next.metadata;
				for (const resolve of batch) resolve(durable);
			}
		} finally {
			this.#writing = undefined;
		}
	}
}
