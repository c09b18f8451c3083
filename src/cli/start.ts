// `quire start`: boots the server exactly as bin/www does.
export async function run(): Promise<void> {
  await import('../bin/www.js');
}
