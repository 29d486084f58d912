import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Diagnostic, LoadOptions, ValidationResult } from '../../action/dockfile/types.ts';

export const fixtures = join(import.meta.dirname, '../fixtures/dockfiles');

export function fixture(name: string): string {
  return readFileSync(join(fixtures, name), 'utf8');
}

/** Environment for the PRD full example's `${…}` references. */
export const fullExampleEnv = {
  JWT_SECRET: 'k'.repeat(32),
  LANGFUSE_PUBLIC: 'pk-lf-test',
  LANGFUSE_SECRET: 'sk-lf-test',
};

export interface TempRepo {
  root: string;
  write(relativePath: string, content: string | Buffer): string;
  cleanup(): void;
}

/** A throwaway repository root; the parent dir is the "outside" that includes must not reach. */
export function tempRepo(): TempRepo {
  const base = mkdtempSync(join(tmpdir(), 'dockrion-dockfile-'));
  const root = join(base, 'repo');
  mkdirSync(root);
  return {
    root,
    write(relativePath, content) {
      const path = join(base, 'repo', relativePath);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** One diagnostic per line: `code path @file:line:col`, for compact exact assertions. */
export function brief(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${d.path} @${d.file}:${d.line}:${d.column}`);
}

export function codes(result: ValidationResult): number[] {
  return result.errors.map((d) => d.code);
}

/**
 * Validates in a worker thread and terminates it if no answer comes within `budgetMs`: a hard
 * limit that also stops synchronous runaway work (which a test timeout cannot interrupt).
 */
export class BudgetedValidator {
  private worker!: Worker;
  private ready!: Promise<void>;

  constructor() {
    this.start();
  }

  private start(): void {
    this.worker = new Worker(new URL('./budget-worker.mjs', import.meta.url));
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', () => resolve());
      this.worker.once('error', reject);
    });
  }

  async validate(path: string, budgetMs: number, options: LoadOptions = {}): Promise<ValidationResult> {
    await this.ready;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.worker.removeListener('message', onMessage);
        // The runaway validation is killed; later cases get a fresh worker.
        void this.worker.terminate();
        this.start();
        reject(new Error(`validation of ${path} did not finish within ${budgetMs} ms`));
      }, budgetMs);
      const onMessage = (message: { type: string; result?: ValidationResult; message?: string }) => {
        clearTimeout(timer);
        if (message.type === 'result' && message.result) resolve(message.result);
        else reject(new Error(`validation threw: ${message.message}`));
      };
      this.worker.once('message', onMessage);
      this.worker.postMessage({ path, options });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
