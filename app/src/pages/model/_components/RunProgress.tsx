/** The test-drive's steps, the current one with its detail and progress; announced politely. */
import type { TestDriveProgress, TestDriveStep } from "../../../testDrive/runTestDrive.ts";

const STEPS: readonly (readonly [TestDriveStep, string])[] = [
  ["encrypt", "Encrypt in this browser"],
  ["open", "Stake the deposit and fee"],
  ["upload", "Sign and upload to the seller's worker"],
  ["evaluate", "Evaluated under encryption"],
  ["decrypt", "Decrypt in this browser"],
  ["receipt", "Check the on-chain receipt"],
];

export function RunProgress({ progress }: { progress: TestDriveProgress }) {
  const current = STEPS.findIndex(([step]) => step === progress.step);
  return (
    <div className="flex flex-col gap-3" data-testid="run-progress">
      <ul className="steps steps-vertical sm:steps-horizontal text-xs">
        {STEPS.map(([step, label], i) => (
          <li key={step} className={`step ${i <= current ? "step-primary" : ""}`} aria-current={i === current ? "step" : undefined}>
            {label}
          </li>
        ))}
      </ul>
      <p role="status" aria-live="polite" className="text-sm">
        {progress.detail}
      </p>
      <progress className="progress progress-primary w-full" aria-label={STEPS[current]?.[1] ?? "Progress"} {...(progress.fraction !== undefined ? { value: progress.fraction, max: 1 } : {})} />
    </div>
  );
}
