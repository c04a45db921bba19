// Strata's entry point: composes the object graph by hand and registers one root Disposable.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // composed in later steps
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
