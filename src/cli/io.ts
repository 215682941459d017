/** Where a command writes, so commands can be run and checked in tests without a terminal. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Progress bars only when stderr is a terminal; cron jobs and pipes get quiet output. */
  readonly isTTY: boolean;
}
