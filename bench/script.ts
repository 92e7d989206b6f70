/**
 * Runs a bench script's `main` and exits with its code (0 when it returns
 * none), or with 1 after printing what it threw: the servers it started may
 * hold the event loop open, so the script ends the process itself.
 */
export function runScript(main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
