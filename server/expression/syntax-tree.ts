// Facts read from jsonata's syntax tree after compiling: which steps an expression reads
// (`steps.<slug>`, `$steps.<slug>`, `$$.steps.<slug>`), so validation can reject
// references to steps that do not exist, and which `$variables` it uses, so evaluation
// binds only those.

export interface StepReference {
  slug: string;
  /** 0-based offset of the slug inside the expression as written. */
  position: number;
}

interface AstNode {
  type?: string;
  value?: unknown;
  position?: number;
  steps?: AstNode[];
}

/** Calls `visitor` for every node of the tree once. */
function walk(ast: unknown, visitor: (node: AstNode) => void): void {
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (!Array.isArray(node)) visitor(node as AstNode);
    Object.values(node).forEach(visit);
  };
  visit(ast);
}

/** Lists step references in `ast` in source order; `toOrigin` maps rewritten offsets back. */
export function stepReferences(ast: unknown, toOrigin: (offset: number) => number): StepReference[] {
  const found: StepReference[] = [];
  walk(ast, (node) => {
    const reference = referenceIn(node);
    if (reference) found.push({ slug: reference.slug, position: toOrigin(reference.position) });
  });
  return found.sort((a, b) => a.position - b.position);
}

/** The names of the variables (`$name`) the expression reads, without the `$`. */
export function variablesUsed(ast: unknown): Set<string> {
  const names = new Set<string>();
  walk(ast, (node) => {
    if (node.type === 'variable' && typeof node.value === 'string') names.add(node.value);
  });
  return names;
}

function referenceIn(node: AstNode): StepReference | undefined {
  if (node.type !== 'path' || !node.steps) return undefined;
  const [first, second, third] = node.steps;
  // `$$.steps.x` and `$.steps.x` read the context through the root/input variable.
  const viaRoot = first?.type === 'variable' && (first.value === '$' || first.value === '') && isName(second, 'steps');
  const direct = (first?.type === 'name' || first?.type === 'variable') && first.value === 'steps';
  const slugNode = viaRoot ? third : direct ? second : undefined;
  // biome-ignore lint/complexity/useOptionalChain: kept as written; the expression area is being reworked separately
  if (!slugNode || slugNode.type !== 'name' || typeof slugNode.value !== 'string') return undefined;
  const end = slugNode.position ?? 0;
  return { slug: slugNode.value, position: Math.max(end - slugNode.value.length, 0) };
}

function isName(node: AstNode | undefined, value: string): boolean {
  return node?.type === 'name' && node.value === value;
}
