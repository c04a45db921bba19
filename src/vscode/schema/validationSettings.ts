// The validation settings (strata.validation.*, strata.schemas, strata.pii.enabled), read per file.
import * as vscode from 'vscode';

export interface ValidationSettings {
  enabled: boolean;
  onType: boolean;
  maxProblems: number;
  /** Open CSV/TSV documents up to this size are validated as you type. */
  maxLiveBytes: number;
  piiEnabled: boolean;
  /** glob (relative to the workspace folder) → schema path. */
  mappings: Record<string, string>;
}

/** Setting sections whose change means validating again. */
export const VALIDATION_SECTIONS = ['strata.validation', 'strata.schemas', 'strata.pii', 'strata.additionalExtensions'];

export function readValidationSettings(scope?: vscode.Uri): ValidationSettings {
  const c = vscode.workspace.getConfiguration('strata', scope);
  const maxProblems = c.get<number>('validation.maxProblems', 500);
  const maxLiveMB = c.get<number>('validation.maxLiveSizeMB', 5);
  const raw = c.get<Record<string, unknown>>('schemas', {});
  const mappings: Record<string, string> = {};
  for (const [glob, target] of Object.entries(raw ?? {})) {
    if (typeof target === 'string' && target.trim()) { mappings[glob] = target; }
  }
  return {
    enabled: c.get<boolean>('validation.enabled', true),
    onType: c.get<boolean>('validation.onType', true),
    maxProblems: Number.isFinite(maxProblems) && maxProblems >= 1 ? Math.floor(maxProblems) : 500,
    maxLiveBytes: Number.isFinite(maxLiveMB) && maxLiveMB >= 0 ? maxLiveMB * 1024 * 1024 : 5 * 1024 * 1024,
    piiEnabled: c.get<boolean>('pii.enabled', true),
    mappings,
  };
}

/** Extra file endings read as delimited text (the explorer's setting), so they are validated too. */
export function extraExtensions(scope?: vscode.Uri): string[] {
  return vscode.workspace.getConfiguration('strata', scope).get<string[]>('additionalExtensions', []);
}
