// When two usernames are the same name: their keys are equal. The key is what the unique index
// holds, so "Alice", "ALICE" and "ａｌｉｃｅ" (fullwidth) cannot be three accounts.
// See docs/decisions/19-username-keys.md.

/** The longest key the users.username_key column holds (characters). */
export const USERNAME_KEY_MAX = 255;

/**
 * NFKC, then a full case fold, then NFKC again (a fold can undo the normal form). JavaScript has
 * no case-fold primitive: upper then lower case folds what toLowerCase alone misses ("ß" and "SS",
 * final and medial sigma, "ﬀ" and "FF").
 */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}
