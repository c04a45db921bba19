// Deliberately breaks the walls: the lint test expects these lines to be reported.
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
export const x = [vscode, readFileSync];
