// The page's CSP nonce in the browser. Browsers hide the nonce attribute once the page
// has loaded, but a script element's `nonce` property still has it; CodeMirror puts it
// on the <style> elements it adds (the CSP allows styles with the nonce only).
export function pageNonce(): string {
  return document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '';
}
