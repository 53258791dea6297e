/** The rehearsal's Matomo parts (a real release given with --release). */
import { Rehearsal } from "./main";

export async function withMatomo(r: Rehearsal): Promise<void> {
  r.report.skip("Matomo", "not implemented yet");
}
