// Profiles for the preview and the export command: quick figures first, then the full pass split
// across the session thread and its sibling (one row range each, merged in the session thread).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { DatasetProfile } from '../../core/profile/profileTypes';
import { profileToJson, profileToMarkdown } from '../../core/profile/profileExport';
import { profileParts } from '../../node/session/profileParts';
import type { SessionThread } from '../../node/session/sessionThread';
import { writeFileAtomic } from '../../node/io/atomicWrite';
import type { PreviewProfiler } from './previewController';

export class SessionProfiler implements PreviewProfiler {
  /** The last full profile per file, so exporting does not profile again. */
  private readonly lastFull = new Map<string, DatasetProfile>();

  constructor(private readonly session: SessionThread) {}

  async profile(path: string, options: { full: boolean; signal: AbortSignal; onQuick: (p: DatasetProfile) => void; onProgress: (fraction: number | null, label: string) => void }): Promise<DatasetProfile> {
    const quick = await this.session.run('profile', { path, full: false }, { signal: options.signal });
    if (!options.full || !quick.profile.sample) {
      if (!quick.profile.sample) { this.lastFull.set(path, quick.profile); }
      return quick.profile;
    }
    options.onQuick(quick.profile);
    const profile = await this.fullPass(path, options);
    this.lastFull.set(path, profile);
    return profile;
  }

  /** The full pass on both cores: two row ranges profiled at once, then merged off the host thread. */
  private async fullPass(path: string, options: { signal: AbortSignal; onProgress: (fraction: number | null, label: string) => void }): Promise<DatasetProfile> {
    const started = Date.now();
    const helper = this.session.sibling();
    try {
      const partials = await profileParts([this.session, helper], path, {
        signal: options.signal,
        onProgress: (d, t) => {
          const fraction = t ? Math.min(1, d / t) : null;
          options.onProgress(fraction, `Profiling ${basename(path)}: ${fraction === null ? '…' : Math.round(100 * fraction)}%`);
        },
      });
      const merged = await this.session.run('profileMerge', { partials, elapsedMs: Date.now() - started }, { signal: options.signal });
      return merged.profile;
    } finally {
      // the helper only profiles: let it drop the file
      void helper.run('close', { path }).catch(() => undefined);
    }
  }

  /** The full profile, from memory or computed with a cancellable progress notification. */
  async fullProfile(path: string): Promise<DatasetProfile | undefined> {
    const known = this.lastFull.get(path);
    if (known) { return known; }
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Profiling ${basename(path)}`, cancellable: true }, async (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      let reported = 0;
      try {
        return await this.profile(path, {
          full: true,
          signal: ac.signal,
          onQuick: () => undefined,
          onProgress: fraction => {
            if (fraction === null) { return; }
            const pct = Math.round(fraction * 100);
            if (pct > reported) { progress.report({ increment: pct - reported, message: `${pct}%` }); reported = pct; }
          },
        });
      } catch (e) {
        if (ac.signal.aborted) { return undefined; }
        throw e;
      }
    });
  }

  forget(path: string): void {
    this.lastFull.delete(path);
  }

  async exportProfile(path: string, format: 'markdown' | 'json', target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const profile = await this.fullProfile(path);
    if (!profile) { return undefined; }
    const ext = format === 'markdown' ? 'md' : 'json';
    const dest = target ?? await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(`${path}.profile.${ext}`),
      filters: format === 'markdown' ? { Markdown: ['md'] } : { JSON: ['json'] },
      title: 'Export Profile',
    });
    if (!dest) { return undefined; }
    const text = format === 'markdown' ? profileToMarkdown(profile, { title: basename(path) }) : profileToJson(profile);
    await writeFileAtomic(dest.fsPath, text);
    return dest;
  }
}
