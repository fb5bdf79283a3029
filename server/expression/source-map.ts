// Rewriting an expression (helpers without `$`, pipes, per-element all/any) moves text
// around; jsonata then reports errors at offsets of the rewritten text. A SourceBuilder
// remembers where every emitted piece came from so those offsets can be mapped back to
// the text the user wrote.

interface Piece {
  /** Offset of the piece in the rewritten text. */
  outputStart: number;
  length: number;
  /** Offset in the original source this piece stands for. */
  originStart: number;
  /** How many original characters the piece covers (0 for inserted text). */
  originLength: number;
}

export class SourceBuilder {
  private text = '';
  private readonly pieces: Piece[] = [];

  /** Appends text that stands for `originLength` characters starting at `originStart`. */
  append(text: string, originStart: number, originLength = text.length): void {
    if (text.length === 0) return;
    this.pieces.push({ outputStart: this.text.length, length: text.length, originStart, originLength });
    this.text += text;
  }

  build(): { text: string; toOrigin: (offset: number) => number } {
    const { text, pieces } = this;
    return {
      text,
      toOrigin(offset: number): number {
        let piece: Piece | undefined;
        for (const candidate of pieces) {
          if (candidate.outputStart > offset) break;
          piece = candidate;
        }
        if (!piece) return 0;
        const within = Math.min(offset - piece.outputStart, Math.max(piece.originLength, 0));
        return piece.originStart + within;
      },
    };
  }
}
