/**
 * Checkpointing during an apply: one writer owns the state document for the whole run.
 *
 * Invariants:
 * - Writes are serialised: each `commit` applies its change to the latest document and writes it as
 *   the successor of the last write (serial + 1, same lineage, based on the last etag), so parallel
 *   operations never race each other; the lock keeps other processes out.
 * - A commit returns only after the write succeeded: an operation records its intent (pending)
 *   before it touches AWS and its result after, so a crash at any point leaves a state that says
 *   what might exist.
 * - After one failed write the writer is `broken`: later commits only update the in-memory
 *   document (nothing more is written over an unknown blob), and the caller saves `document` as
 *   errored-state.json with instructions to push it.
 */
import type {Backend} from '../state/backend.js';
import type {StateDocument, StateKey} from '../state/state-document.js';
import {type StateBasis, writeState} from '../state/state-store.js';

export interface StateWriterOptions {
	backend: Backend;
	key: StateKey;
	/** Who and when, for metadata.deployedBy / deployedAt. */
	deployedBy: string;
	now: () => Date;
	onSaved?: (serial: number) => void;
}

export class StateWriter {
	#document: StateDocument;
	#basis: StateBasis;
	#chain: Promise<void> = Promise.resolve();
	#error: unknown;

	constructor(
		initial: StateDocument,
		basis: StateBasis,
		readonly options: StateWriterOptions,
	) {
		this.#document = initial;
		this.#basis = basis;
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

	/** Apply `change` to the document and write it; resolves when written (or when broken). */
	commit(change: (draft: StateDocument) => void): Promise<void> {
		const run = async () => {
			const next = structuredClone(this.#document);
			change(next);
			next.serial = this.#basis.serial + 1;
			next.lineage = this.#basis.lineage;
			next.metadata = {...next.metadata, deployedBy: this.options.deployedBy, deployedAt: this.options.now().toISOString()};
			if (this.#error !== undefined) {
				this.#document = next;
				this.#basis = {...this.#basis, serial: next.serial};
				return;
			}
			try {
				const {etag} = await writeState(this.options.backend, this.options.key, next, this.#basis);
				this.#basis = {etag, serial: next.serial, lineage: next.lineage};
				this.#document = next;
				this.options.onSaved?.(next.serial);
			} catch (error) {
				this.#error = error;
				this.#document = next;
				this.#basis = {...this.#basis, serial: next.serial};
			}
		};
		this.#chain = this.#chain.then(run);
		return this.#chain;
	}

	/** Resolves when every commit so far has been written (or recorded after a failure). */
	flush(): Promise<void> {
		return this.#chain;
	}
}
