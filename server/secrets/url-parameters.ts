// Credentials often travel in a URL rather than a header: `?api_key=`, presigned
// `&X-Amz-Signature=`, `&sig=`, OAuth's `access_token=`. They are not stored secrets,
// so the value redactor does not know them; this replaces the value of any query or
// form parameter whose name looks like a credential with `***`, wherever a URL or a
// form body is quoted in what a run records. The request itself keeps the real value.
/**
 * A parameter name that says it holds a credential: the name itself, or it as the last
 * word of a longer name (`client_secret`, `X-Amz-Signature`, `refresh_token`).
 */
const CREDENTIAL_NAME = String.raw`(?:[A-Za-z0-9]*[-_.])*(?:key|apikey|token|sig|signature|secret|password|passwd|pwd|credential|auth)`;

/**
 * `name=value` after `?`, `&` or `;`, or at the start of a text (a form body); the
 * value runs to the next separator, quote or space.
 */
const PARAMETER = new RegExp(String.raw`((?:^|[?&;])${CREDENTIAL_NAME}=)([^&;#\s"'<>]+)`, 'gi');

/**
 * `text` with each credential parameter's value replaced by `mask` (redact.ts's `***`).
 * @example redactUrlParameters('https://api.example.com/v1?api_key=abc123&page=2', '***') // 'https://api.example.com/v1?api_key=***&page=2'
 */
export function redactUrlParameters(text: string, mask: string): string {
  if (!text.includes('=')) return text;
  return text.replace(PARAMETER, (_all, name: string) => name + mask);
}
