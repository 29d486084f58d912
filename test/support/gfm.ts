import { execFileSync } from 'node:child_process';

/**
 * Renders Markdown with cmark-gfm, the GitHub Flavored Markdown renderer GitHub itself builds on
 * (Debian package `cmark-gfm`, installed by scripts/ci/install.sh), with GitHub's extensions.
 * Raw HTML is kept (`--unsafe`), as GitHub passes it on to its sanitizer.
 */
export function renderGfm(markdown: string): string {
  try {
    return execFileSync(
      'cmark-gfm',
      [
        '--unsafe',
        '-e',
        'table',
        '-e',
        'autolink',
        '-e',
        'strikethrough',
        '-e',
        'tagfilter',
        '-e',
        'tasklist',
      ],
      { input: markdown, encoding: 'utf8' },
    );
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('cmark-gfm is not installed: run scripts/ci/install.sh (apt-get install cmark-gfm)');
    }
    throw e;
  }
}

/**
 * The rendered HTML with every code element (`<code>…</code>`, `<pre>…</pre>`) taken out: what
 * GitHub's mention, reference and link filters would act on. User text must not reach it.
 */
export function outsideCode(html: string): string {
  return html.replace(/<pre[\s>][\s\S]*?<\/pre>/g, '').replace(/<code>[\s\S]*?<\/code>/g, '');
}

/** Strings that GitHub would otherwise render as a mention, a link, an image, HTML or a broken table. */
export const hostileStrings = [
  '@acme/security-team',
  '[approve](https://evil.example)',
  '![x](https://evil.example/p.png)',
  '<img src="https://evil.example/q.png">',
  'https://evil.example/autolink',
  '`tick` | pipe',
  'a\\|[l](https://evil.example/l)',
  '``` fenced',
  '#1 *bold* _em_ ~~gone~~',
];
