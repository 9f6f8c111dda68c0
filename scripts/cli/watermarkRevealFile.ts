/**
 * Reads a watermark reveal file for the CLI (`bazaar list --watermark`, `bazaar watermark
 * verify`): its refusals become one-sentence CLI errors.
 */
import { readFileSync } from "node:fs";
import { parseWatermarkReveal, WatermarkRevealError, type WatermarkReveal } from "@modelbazaar/sdk/protection";
import { CliError } from "./cliError.ts";

export function readWatermarkReveal(path: string): WatermarkReveal {
  try {
    return parseWatermarkReveal(readFileSync(path, "utf8"), path);
  } catch (error) {
    if (error instanceof WatermarkRevealError) throw new CliError(error.message);
    throw error;
  }
}
