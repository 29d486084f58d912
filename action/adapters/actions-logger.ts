import { appendFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { type Logger, maskable } from './logger.ts';

/** A Logger over @actions/core: warnings and errors become annotations, setSecret masks. */
export function actionsLogger(): Logger {
  return {
    debug: (m) => core.debug(m),
    info: (m) => core.info(m),
    warn: (m) => core.warning(m),
    error: (m) => core.error(m),
    group: (name, fn) => core.group(name, fn),
    setSecret: (value) => {
      if (maskable(value)) core.setSecret(value);
    },
  };
}

export interface Annotation {
  severity: 'error' | 'warning' | 'notice';
  message: string;
  title?: string;
  /** Relative to the repository root, so GitHub can place it on the diff. */
  file?: string;
  line?: number;
  column?: number;
}

/** Everything a mode writes back to the workflow run, besides logs. */
export interface ActionsIO {
  annotate(annotation: Annotation): void;
  /** Appends Markdown to the job summary ($GITHUB_STEP_SUMMARY). */
  appendSummary(markdown: string): Promise<void>;
  setOutput(name: string, value: string): void;
}

export function actionsIO(): ActionsIO {
  return {
    annotate: ({ severity, message, title, file, line, column }) => {
      const properties: core.AnnotationProperties = {};
      if (title !== undefined) properties.title = title;
      if (file !== undefined) properties.file = file;
      if (line !== undefined) properties.startLine = line;
      if (column !== undefined) properties.startColumn = column;
      const emit = severity === 'error' ? core.error : severity === 'warning' ? core.warning : core.notice;
      emit(message, properties);
    },
    appendSummary: async (markdown) => {
      // Without the file (a local run) there is nowhere to write; the logs carry the result.
      const path = process.env.GITHUB_STEP_SUMMARY;
      if (!path) return;
      // core.summary caches the file path for the life of the process; reading it per call keeps
      // one process able to serve several runs (the tests do).
      const text = core.summary.addRaw(markdown, true).stringify();
      core.summary.emptyBuffer();
      await appendFile(path, text, 'utf8');
    },
    setOutput: (name, value) => core.setOutput(name, value),
  };
}
