/**
 * The buyer's side of an encrypted test-drive: key generation (the secret key never leaves
 * this object, except to the buyer's own encryption threads: `exportSecretKey`), packing and
 * encrypting a test set into an upload container, and decrypting the worker's result into
 * per-sample scores. Encryption can be split by ciphertext range (`encryptCiphertexts`) so a
 * caller may spread it over threads (sdk/src/he/node/encryptionPool.ts does, in Node); this
 * file itself stays browser-safe.
 *
 * Packing is feature-major (plan.ts): ciphertext i of batch b holds feature i of samples
 * b*slots .. b*slots+slots-1, one sample per slot. Encryption is symmetric and, by default,
 * seeded (`encryptSymmetricSerializable`), which halves every ciphertext on the wire at the
 * price of a slow load on the worker (`uploadForm`); no Galois keys
 * are made (the plan needs no rotations), and relinearization keys only for plans that
 * multiply ciphertexts.
 */
import { decodeResult, encodeUpload, batchCountFor } from "./container.ts";
import { createHeContext, sameFingerprint, type HeContext } from "./context.ts";
import { HeError, sealCall } from "./heError.ts";
import { chooseParameters, mayRelinearize } from "./parameters.ts";
import type { HePlanSummary } from "./plan.ts";
import { loadSeal, type Ciphertext, type Decryptor, type Encryptor, type KeyGenerator, type LoadSealOptions, type Plaintext, type SecretKey } from "./seal.ts";

export interface DecryptedScores {
  /** Sample-major: scores[s * outputs + j] is score j of sample s. */
  readonly scores: Float64Array;
  readonly samples: number;
  readonly outputs: number;
}

export interface BuyerSessionOptions extends LoadSealOptions {
  /** A secret key from `exportSecretKey` (same summary): this session then shares that key. */
  readonly secretKey?: Uint8Array;
  /**
   * "seeded" (default): each ciphertext's random half is sent as a 64-byte seed, halving the
   * upload; the worker re-expands it when loading (~1.5 ms per ciphertext at N=4096, as much as
   * the whole linear layer of a logistic regression). "expanded": twice the bytes, loads ~25x faster.
   */
  readonly uploadForm?: UploadForm;
}

export type UploadForm = "seeded" | "expanded";

/** Ciphertexts [first, first + count) of a test set, in upload order. */
export interface CiphertextRange {
  readonly first: number;
  readonly count: number;
}

/** A symmetric encryption with its random half written out (not seeded). */
function expandedEncryption(he: HeContext, encryptor: Encryptor, plaintext: Plaintext): Ciphertext {
  const ciphertext = new he.seal.Ciphertext();
  encryptor.encryptSymmetric(plaintext, ciphertext);
  return ciphertext;
}

/** A key generator around a fresh secret key, or around `secretKey` (serialized) when given. */
function keyGeneratorFor(he: HeContext, secretKey: Uint8Array | undefined): KeyGenerator {
  if (!secretKey) return new he.seal.KeyGenerator(he.context);
  const key = new he.seal.SecretKey();
  try {
    sealCall("loading the secret key", () => key.loadFromArray(he.context, secretKey), "malformed-object");
    return new he.seal.KeyGenerator(he.context, key);
  } finally {
    key.delete();
  }
}

export class BuyerSession {
  readonly summary: HePlanSummary;
  readonly he: HeContext;
  private readonly secretKey: SecretKey;
  private readonly encryptor: Encryptor;
  private readonly decryptor: Decryptor;
  private relinKeys: Uint8Array | undefined;
  readonly uploadForm: UploadForm;

  private constructor(summary: HePlanSummary, he: HeContext, secretKey: SecretKey, encryptor: Encryptor, decryptor: Decryptor, uploadForm: UploadForm) {
    this.summary = summary;
    this.uploadForm = uploadForm;
    this.he = he;
    this.secretKey = secretKey;
    this.encryptor = encryptor;
    this.decryptor = decryptor;
  }

  /**
   * Chooses the parameters for a plan summary and generates a fresh secret key, or loads
   * `options.secretKey` (from `exportSecretKey`, to encrypt on another thread of the same buyer).
   */
  static async create(summary: HePlanSummary, options: BuyerSessionOptions = {}): Promise<BuyerSession> {
    const seal = await loadSeal(options);
    const he = createHeContext(seal, chooseParameters(summary));
    return sealCall(options.secretKey ? "loading the secret key" : "generating the secret key", () => {
      const keyGenerator = keyGeneratorFor(he, options.secretKey);
      const secretKey = keyGenerator.secretKey();
      // SEAL's Encryptor wants a public key too; it never leaves this object (encryption is symmetric).
      const publicKey = keyGenerator.createPublicKey();
      const encryptor = new seal.Encryptor(he.context, publicKey, secretKey);
      publicKey.delete();
      keyGenerator.delete();
      return new BuyerSession(summary, he, secretKey, encryptor, new seal.Decryptor(he.context, secretKey), options.uploadForm ?? "seeded");
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
    const total = this.ciphertextCount(samples);
    return this.packUpload(this.encryptCiphertexts(features, samples, { first: 0, count: total }), samples);
  }

  /** How many ciphertexts a test set of `samples` needs: one per feature per batch. */
  ciphertextCount(samples: number): number {
    return batchCountFor(samples, this.he.slots) * this.summary.inputSize;
  }

  /**
   * Encrypts part of a test set: ciphertexts [first, first + count) in upload order (index
   * k is feature k % inputSize of batch floor(k / inputSize)). Callers that encrypt on
   * several threads split the range, then `packUpload` the concatenated parts.
   */
  encryptCiphertexts(features: ArrayLike<number>, samples: number, range: CiphertextRange): Uint8Array[] {
    const width = this.summary.inputSize;
    if (!Number.isInteger(samples) || samples <= 0 || features.length !== samples * width) {
      throw new HeError("invalid-argument", `Expected ${samples} samples x ${width} features = ${samples * width} values, got ${features.length}.`);
    }
    const { first, count } = range;
    if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0 || first + count > this.ciphertextCount(samples)) {
      throw new HeError("invalid-argument", `Ciphertexts ${first}..${first + count - 1} are not within the ${this.ciphertextCount(samples)} this test set needs.`);
    }
    const { seal, encoder, slots, scale } = this.he;
    const { encryptor } = this;
    const plaintext = new seal.Plaintext();
    const column = new Float64Array(slots);
    const ciphertexts: Uint8Array[] = [];
    try {
      for (let k = first; k < first + count; ++k) {
        const b = Math.floor(k / width);
        const i = k % width;
        const firstSample = b * slots;
        const valid = Math.min(slots, samples - firstSample);
        column.fill(0);
        for (let s = 0; s < valid; ++s) column[s] = checkedFeature(features[(firstSample + s) * width + i]!, firstSample + s, i);
        ciphertexts.push(
          sealCall(`encrypting feature ${i} of batch ${b}`, () => {
            encoder.encode(column, scale, plaintext);
            const ciphertext = this.uploadForm === "seeded" ? encryptor.encryptSymmetricSerializable(plaintext) : expandedEncryption(this.he, encryptor, plaintext);
            try {
              return ciphertext.saveToArray(seal.ComprModeType.none) as Uint8Array;
            } finally {
              ciphertext.delete();
            }
          }),
        );
      }
    } finally {
      plaintext.delete();
    }
    return ciphertexts;
  }

  /** The upload container for a test set of `samples` whose ciphertexts (all of them, in upload order) are given. */
  packUpload(ciphertexts: readonly Uint8Array[], samples: number): Uint8Array {
    const width = this.summary.inputSize;
    if (!Number.isInteger(samples) || samples <= 0 || ciphertexts.length !== this.ciphertextCount(samples)) {
      throw new HeError("count-mismatch", `A test set of ${samples} samples needs ${this.ciphertextCount(samples)} ciphertexts, got ${ciphertexts.length}.`);
    }
    const batches: Uint8Array[][] = [];
    for (let k = 0; k < ciphertexts.length; k += width) batches.push(ciphertexts.slice(k, k + width));
    return encodeUpload({
      fingerprint: this.he.fingerprint,
      parameters: this.he.parameters,
      relinKeys: this.relinearizationKeys(),
      samples,
      features: width,
      slots: this.he.slots,
      batches,
    });
  }

  /**
   * The serialized secret key, for the buyer's own encryption threads only
   * (`BuyerSession.create(summary, { secretKey })` in each thread). Whoever holds it can
   * decrypt the test set and the results: it must never leave the buyer's machine.
   */
  exportSecretKey(): Uint8Array {
    return sealCall("saving the secret key", () => this.secretKey.saveToArray(this.he.seal.ComprModeType.none) as Uint8Array);
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
