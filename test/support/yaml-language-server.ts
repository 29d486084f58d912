/**
 * Drives the real yaml-language-server (the engine of the VS Code YAML extension) headless over
 * its language-server protocol on stdio: open a document, wait for the diagnostics it publishes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface LspDiagnostic {
  message: string;
  severity?: number;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  source?: string;
}

/** `yaml.*` settings, as a VS Code user writes them in settings.json under "yaml". */
export interface YamlSettings {
  schemas?: Record<string, string | string[]>;
  customTags?: string[];
}

interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

export function yamlLanguageServerBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('yaml-language-server/package.json')), 'bin', 'yaml-language-server');
}

export class YamlLanguageServer {
  private readonly child: ChildProcess;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (message: Message) => void>();
  private readonly waiting = new Map<string, (diagnostics: LspDiagnostic[]) => void>();
  private version = 0;
  stderr = '';

  private constructor(private readonly settings: YamlSettings) {
    this.child = spawn(process.execPath, [yamlLanguageServerBin(), '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
  }

  static async start(settings: YamlSettings, rootUri: string): Promise<YamlLanguageServer> {
    const server = new YamlLanguageServer(settings);
    await server.request('initialize', {
      processId: process.pid,
      rootUri,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: {} } },
      initializationOptions: {},
    });
    server.notify('initialized', {});
    server.notify('workspace/didChangeConfiguration', { settings: server.configuration() });
    return server;
  }

  private configuration() {
    return {
      yaml: {
        validate: true,
        hover: false,
        completion: false,
        format: { enable: false },
        schemaStore: { enable: false },
        kubernetesCRDStore: { enable: false },
        schemas: this.settings.schemas ?? {},
        customTags: this.settings.customTags ?? [],
      },
      http: { proxy: '', proxyStrictSSL: false },
      '[yaml]': {},
      editor: { tabSize: 2 },
      files: { associations: {} },
    };
  }

  /** Opens (or re-opens) `uri` with `text` and resolves with the diagnostics published for it. */
  diagnostics(uri: string, text: string): Promise<LspDiagnostic[]> {
    const published = new Promise<LspDiagnostic[]>((resolve) => this.waiting.set(uri, resolve));
    this.version += 1;
    this.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: this.version, text },
    });
    return published;
  }

  close(uri: string): void {
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    try {
      await this.request('shutdown', null);
      this.notify('exit', null);
    } finally {
      setTimeout(() => this.child.kill('SIGKILL'), 5000).unref();
      await exited;
    }
  }

  private request(method: string, params: unknown): Promise<Message> {
    const id = this.nextId++;
    const answered = new Promise<Message>((resolve) => this.pending.set(id, resolve));
    this.send({ jsonrpc: '2.0', id, method, params });
    return answered;
  }

  private notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin?.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin?.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const length = Number(
        /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1],
      );
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.handle(JSON.parse(body) as Message);
    }
  }

  private handle(message: Message): void {
    if (message.method === undefined && message.id !== undefined) {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
      return;
    }
    if (message.method === 'textDocument/publishDiagnostics') {
      const { uri, diagnostics } = message.params as { uri: string; diagnostics: LspDiagnostic[] };
      const resolve = this.waiting.get(uri);
      if (resolve) {
        this.waiting.delete(uri);
        resolve(diagnostics);
      }
      return;
    }
    if (message.id !== undefined && message.method !== undefined) {
      // Server → client requests: workspace/configuration asks for the settings sections.
      let result: unknown = null;
      if (message.method === 'workspace/configuration') {
        const { items } = message.params as { items: { section?: string }[] };
        const config = this.configuration() as Record<string, unknown>;
        result = items.map((item) => (item.section ? (config[item.section] ?? null) : config));
      }
      this.send({ jsonrpc: '2.0', id: message.id, result });
    }
  }
}
