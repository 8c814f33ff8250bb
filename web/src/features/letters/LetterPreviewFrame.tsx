/**
 * A letter's HTML in a sandboxed frame: no script, no same-origin access. The server escaped every text already;
 * the sandbox is the second wall.
 */
export function LetterPreviewFrame({ html, height = 640 }: { html: string; height?: number }) {
  return (
    <iframe
      title="letter-preview"
      data-testid="letter-preview"
      sandbox=""
      srcDoc={html}
      style={{ width: '100%', height, border: '1px solid #e5e5e5', borderRadius: 6, background: '#f4f4f4' }}
    />
  );
}
