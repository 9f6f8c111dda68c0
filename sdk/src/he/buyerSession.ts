/**
 * The buyer's side of an encrypted test-drive: key generation (the secret key never leaves
 * this object), packing and encrypting a test set into an upload container, and decrypting
 * the worker's result into per-sample scores.
 *
 * Packing is feature-major (plan.ts): ciphertext i of batch b holds feature i of samples
 * b*slots .. b*slots+slots-1, one sample per slot. Encryption is symmetric and seeded
 * (`encryptSymmetricSerializable`), which halves every ciphertext on the wire; no Galois keys
 * are made (the plan needs no rotations), and relinearization keys only for plans that
 * multiply ciphertexts.
 */
import { decodeResult, encodeUpload, batchCountFor } from "./container.ts";
import { createHeContext, sameFingerprint, type HeContext } from "./context.ts";
import { HeError, sealCall } from "./heError.ts";
import { chooseParameters, mayRelinearize } from "./parameters.ts";
import type { HePlanSummary } from "./plan.ts";
import { loadSeal, type Decryptor, type Encryptor, type LoadSealOptions, type SecretKey } from "./seal.ts";

export interface DecryptedScores {
  /** Sample-major: scores[s * outputs + j] is score j of sample s. */
  readonly scores: Float64Array;
  readonly samples: number;
  readonly outputs: number;
}

export class BuyerSession {
  readonly summary: HePlanSummary;
  readonly he: HeContext;
  private readonly secretKey: SecretKey;
  private readonly encryptor: Encryptor;
  private readonly decryptor: Decryptor;
  private relinKeys: Uint8Array | undefined;

  private constructor(summary: HePlanSummary, he: HeContext, secretKey: SecretKey, encryptor: Encryptor, decryptor: Decryptor) {
    this.summary = summary;
    this.he = he;
    this.secretKey = secretKey;
    this.encryptor = encryptor;
    this.decryptor = decryptor;
  }

  /** Chooses the parameters for a plan summary and generates a fresh secret key. */
  static async create(summary: HePlanSummary, options: LoadSealOptions = {}): Promise<BuyerSession> {
    const seal = await loadSeal(options);
    const he = createHeContext(seal, chooseParameters(summary));
    return sealCall("generating the secret key", () => {
      const keyGenerator = new seal.KeyGenerator(he.context);
      const secretKey = keyGenerator.secretKey();
      // SEAL's Encryptor wants a public key too; it never leaves this object (encryption is symmetric).
      const publicKey = keyGenerator.createPublicKey();
      const encryptor = new seal.Encryptor(he.context, publicKey, secretKey);
      publicKey.delete();
      keyGenerator.delete();
      return new BuyerSession(summary, he, secretKey, encryptor, new seal.Decryptor(he.context, secretKey));
    });
  }

  /** Serialized relinearization keys for the worker (empty when the plan needs none). */
  relinearizationKeys(): Uint8Array {
    if (!mayRelinearize(this.summary)) return new Uint8Array(0);
    this.relinKeys ??= sealCall("generating the relinearization keys", () => {
      const keyGenerator = new this.he.seal.KeyGenerator(this.he.context, this.secretKey);
      const serializable = keyGenerator.createRelinKeysSerializable();
      const bytes = serializable.saveToArray(this.he.seal.ComprModeType.none) as Uint8Array;
      serializable.delete();
      keyGenerator.delete();
      return bytes;
    });
    return this.relinKeys;
  }

  /**
   * Encrypts `samples` rows of `features` (row-major, samples x inputSize) into an upload
   * container: parameters, relinearization keys and one batch per `slots` samples.
   */
  encryptTestSet(features: ArrayLike<number>, samples: number): Uint8Array {
    const width = this.summary.inputSize;
    if (!Number.isInteger(samples) || samples <= 0 || features.length !== samples * width) {
      throw new HeError("invalid-argument", `Expected ${samples} samples x ${width} features = ${samples * width} values, got ${features.length}.`);
    }
    const { seal, encoder, slots, scale } = this.he;
    const { encryptor } = this;
    const plaintext = new seal.Plaintext();
    const column = new Float64Array(slots);
    const batches: Uint8Array[][] = [];
    try {
      for (let b = 0; b < batchCountFor(samples, slots); ++b) {
        const first = b * slots;
        const count = Math.min(slots, samples - first);
        const batch: Uint8Array[] = [];
        for (let i = 0; i < width; ++i) {
          column.fill(0);
          for (let s = 0; s < count; ++s) column[s] = checkedFeature(features[(first + s) * width + i]!, first + s, i);
          batch.push(
            sealCall(`encrypting feature ${i} of batch ${b}`, () => {
              encoder.encode(column, scale, plaintext);
              const ciphertext = encryptor.encryptSymmetricSerializable(plaintext);
              const bytes = ciphertext.saveToArray(seal.ComprModeType.none) as Uint8Array;
              ciphertext.delete();
              return bytes;
            }),
          );
        }
        batches.push(batch);
      }
    } finally {
      plaintext.delete();
    }
    return encodeUpload({
      fingerprint: this.he.fingerprint,
      parameters: this.he.parameters,
      relinKeys: this.relinearizationKeys(),
      samples,
      features: width,
      slots,
      batches,
    });
  }

  /** Decrypts a worker's result into the valid (unmasked) samples' scores. */
  decryptResult(bytes: Uint8Array): DecryptedScores {
    const result = decodeResult(bytes);
    const { seal, encoder, slots, context } = this.he;
    if (!sameFingerprint(result.fingerprint, this.he.fingerprint)) {
      throw new HeError("parameters-mismatch", "The result was computed under other encryption parameters than this session's.");
    }
    if (result.outputs !== this.summary.outputSize || result.slots !== slots) {
      throw new HeError(
        "count-mismatch",
        `The result has ${result.outputs} outputs in ${result.slots} slots; this session expects ${this.summary.outputSize} in ${slots}.`,
      );
    }
    const { samples, outputs } = result;
    const scores = new Float64Array(samples * outputs);
    const { decryptor } = this;
    const ciphertext = new seal.Ciphertext();
    const plaintext = new seal.Plaintext();
    try {
      result.batches.forEach((batch, b) => {
        const first = b * slots;
        const count = Math.min(slots, samples - first);
        batch.forEach((bytes, j) => {
          if (count <= 0) return;
          sealCall(`loading result ciphertext ${j} of batch ${b}`, () => ciphertext.loadFromArray(context, bytes), "malformed-object");
          const values = sealCall(`decrypting result ciphertext ${j} of batch ${b}`, () => {
            decryptor.decrypt(ciphertext, plaintext);
            return encoder.decodeFloat64(plaintext) as Float64Array;
          });
          for (let s = 0; s < count; ++s) scores[(first + s) * outputs + j] = values[s]!;
        });
      });
    } finally {
      plaintext.delete();
      ciphertext.delete();
    }
    return { scores, samples, outputs };
  }

  /** Frees the secret key and the context. The session is unusable afterwards. */
  delete(): void {
    this.encryptor.delete();
    this.decryptor.delete();
    this.secretKey.delete();
    this.he.delete();
  }
}

function checkedFeature(value: number, sample: number, feature: number): number {
  if (!Number.isFinite(value)) {
    throw new HeError("invalid-argument", `Feature ${feature} of sample ${sample} is ${value}; features must be finite numbers.`);
  }
  return value;
}
