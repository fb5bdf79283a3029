// The one error type expressions throw, at compile time (syntax) and at run time
// (type errors, helper errors, time and depth limits). It says which expression failed,
// where inside it, and in which step, so a run's step error is actionable as it stands.

export interface ExpressionErrorDetails {
  /** The expression as written (inside `{{ }}` for templates). */
  expression: string;
  /** 0-based offset inside `expression` where the problem is. */
  position: number;
  /** jsonata's error code (S0xxx syntax, T/D run time, D1012 time limit ...) when there is one. */
  code?: string;
  /** Name of the step evaluating the expression, when known. */
  step?: string;
  /** For a `{{ }}` template: offset of `expression` inside the whole template string. */
  templateOffset?: number;
}

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  readonly expression: string;
  readonly position: number;
  readonly code: string | undefined;
  readonly step: string | undefined;
  readonly templateOffset: number | undefined;
  /** The reason alone, without the expression and step context of `message`. */
  readonly reason: string;

  constructor(reason: string, details: ExpressionErrorDetails) {
    const where = details.step ? ` in step "${details.step}"` : '';
    const shown = details.expression.trim();
    const leading = details.expression.length - details.expression.trimStart().length;
    const character = Math.min(Math.max(details.position - leading, 0), shown.length) + 1;
    super(`${reason} (expression ${JSON.stringify(shown)}${where}, at character ${character})`);
    this.reason = reason;
    this.expression = details.expression;
    this.position = details.position;
    this.code = details.code;
    this.step = details.step;
    this.templateOffset = details.templateOffset;
  }

  /** The same error, attributed to a step (the executor knows the step, the compiler does not). */
  inStep(step: string): ExpressionError {
    return new ExpressionError(this.reason, { ...this.details(), step });
  }

  /** The same error, located inside a template string that starts the expression at `offset`. */
  inTemplate(offset: number): ExpressionError {
    return new ExpressionError(this.reason, { ...this.details(), templateOffset: offset });
  }

  private details(): ExpressionErrorDetails {
    return {
      expression: this.expression,
      position: this.position,
      ...(this.code === undefined ? {} : { code: this.code }),
      ...(this.step === undefined ? {} : { step: this.step }),
      ...(this.templateOffset === undefined ? {} : { templateOffset: this.templateOffset }),
    };
  }
}
