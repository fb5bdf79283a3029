/** Named secrets (the vault). Values only ever exist decrypted in memory. */
export interface SecretStore {
  get(name: string): Promise<string | undefined>;
  /** Only the names that exist appear in the result. */
  getMany(names: readonly string[]): Promise<Record<string, string>>;
}
