// Collects problems and warnings found after the schema check (names, references,
// schedules, expressions), each placed at a line:col of the file. Paths are relative to
// the workflow body; the reporter adds `workflow.` when the file uses the wrapper.
import { formatPath, type PathSegment } from './paths.js';
import type { Problem } from './types.js';
import { locate, locateInString, type YamlSource } from './yaml-source.js';

export class Reporter {
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];

  constructor(
    private readonly source: YamlSource,
    private readonly prefix: readonly PathSegment[],
  ) {}

  /** A problem about the value at `path` (or its key, for a key that should not be there). */
  error(path: readonly PathSegment[], message: string, on: 'key' | 'value' = 'value'): void {
    this.problems.push(this.at(path, message, on));
  }

  warn(path: readonly PathSegment[], message: string, on: 'key' | 'value' = 'value'): void {
    this.warnings.push(this.at(path, message, on));
  }

  /** A problem at character `offset` of the string at `path` (an expression inside it). */
  errorInString(path: readonly PathSegment[], offset: number, message: string): void {
    this.problems.push(this.atCharacter(path, offset, message));
  }

  warnInString(path: readonly PathSegment[], offset: number, message: string): void {
    this.warnings.push(this.atCharacter(path, offset, message));
  }

  /** The line the value at `path` starts on, for messages that point elsewhere. */
  lineOf(path: readonly PathSegment[]): number {
    return locate(this.source, [...this.prefix, ...path]).line;
  }

  private at(path: readonly PathSegment[], message: string, on: 'key' | 'value'): Problem {
    const full = [...this.prefix, ...path];
    const { line, col } = locate(this.source, full, on);
    return { file: this.source.file, line, col, path: formatPath(full), message };
  }

  private atCharacter(path: readonly PathSegment[], offset: number, message: string): Problem {
    const full = [...this.prefix, ...path];
    const { line, col } = locateInString(this.source, full, offset);
    return { file: this.source.file, line, col, path: formatPath(full), message };
  }
}
