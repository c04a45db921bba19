// Progress and cancel for terminal use of long operations (versioning, profiles): one redrawn stderr line on a TTY,
// Ctrl-C aborts cleanly.

/** What the line shows: a phase, how far (with a percentage when the total is known) and the path worked on. */
export interface TerminalProgressStep {
  phase: string;
  unit: 'bytes' | 'objects' | 'files' | 'rows' | 'parts';
  done: number;
  total: number;
  path?: string;
}

/**
 * A progress callback that redraws one line on stderr when it is a terminal, and does nothing otherwise. Nothing is
 * drawn in the first `quietMs` (default 300 ms): a quick operation never flashes a line.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, { quietMs = 300 }: { quietMs?: number } = {}): { onProgress?: (p: TerminalProgressStep) => void; done(): void } {
  if (!stream.isTTY) { return { done() { /* nothing drawn */ } }; }
  const started = Date.now();
  let last = 0;
  let drawn = false;
  return {
    onProgress(p) {
      const now = Date.now();
      if (now - started < quietMs) { return; }
      if (now - last < 100 && p.done < p.total) { return; }
      last = now;
      const amount = p.unit === 'bytes' ? `${mb(p.done)}/${mb(p.total)} MB` : `${p.done}/${p.total} ${p.unit}`;
      const pct = p.total > 0 ? ` ${Math.floor((100 * p.done) / p.total)}%` : '';
      const line = `${p.phase}${pct} ${amount}${p.path ? ` ${p.path}` : ''}`;
      stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 80) - 1)}`);
      drawn = true;
    },
    done() { if (drawn) { stream.write('\r\x1b[2K'); drawn = false; } },
  };
}

function mb(n: number): string {
  return (n / 1e6).toFixed(n < 1e7 ? 1 : 0);
}

/** An AbortSignal fired by the first SIGINT (the operation stops at its next step and cleans up its temp files). */
export function abortOnInterrupt(): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const onSig = () => { ac.abort(); };
  process.once('SIGINT', onSig);
  return { signal: ac.signal, dispose: () => { process.removeListener('SIGINT', onSig); } };
}
