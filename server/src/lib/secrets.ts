/** Share tokens get their own key derived from the main secret, so one leaked key is not both. */
export async function deriveShareSecret(mainSecret: Uint8Array): Promise<Uint8Array> {
  const material = Buffer.concat([Buffer.from('jizan-share-token:'), mainSecret]);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', material));
}
