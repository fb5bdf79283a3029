/**
 * The export cannot be read at all (not JSON, neither export form, a broken node tree).
 * The message names what is wrong and where (zap title, node id) and what to do;
 * problems with single nodes are not errors but report entries.
 */
export class ZapierImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZapierImportError';
  }
}
