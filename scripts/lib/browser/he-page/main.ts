/**
 * Test page for the buyer's CKKS in the browser: exposes `window.heHarness.encrypt(request)`,
 * which runs encryptInBrowser (node-seal in a Web Worker, as the dApp's model page does) and
 * returns the upload as base64 or the sentence it failed with (test/browser/heInBrowser.test.ts
 * drives it in a production bundle).
 */
import { encryptInBrowser } from "@modelbazaar/sdk/he/browser";
import type { HePlanSummary } from "@modelbazaar/sdk/he";

export interface HeHarnessResult {
  ok: boolean;
  error?: string;
  uploadBase64?: string;
  progress: number[];
}

async function encrypt({ plan, features, sampleCount }: { plan: HePlanSummary; features: number[]; sampleCount: number }): Promise<HeHarnessResult> {
  const progress: number[] = [];
  try {
    const { upload } = await encryptInBrowser({ plan, features: Float64Array.from(features), sampleCount, onProgress: (done) => progress.push(done) });
    let binary = "";
    for (const byte of upload) binary += String.fromCharCode(byte);
    return { ok: true, uploadBase64: btoa(binary), progress };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error), progress };
  }
}

(window as unknown as { heHarness: { encrypt: typeof encrypt } }).heHarness = { encrypt };
document.getElementById("status")!.textContent = "ready";
