/**
 * Encrypted key files in the Web3 Secret Storage format, version 3 (scrypt or PBKDF2-HMAC-SHA256,
 * AES-128-CTR, a keccak-256 MAC): the format of geth, Foundry's `cast wallet`, ethers and
 * MetaMask's exports, so the `bazaar` CLI and the seller's worker can sign with a key that is
 * never stored in plain text nor kept in the environment. Node-only (node:crypto): the CLI and
 * the worker use it, the dApp never does.
 */
import { createCipheriv, createDecipheriv, pbkdf2, randomBytes, randomUUID, scrypt, type ScryptOptions } from "node:crypto";
import { readFileSync } from "node:fs";
import { bytesToHex, concat, getAddress, isHex, keccak256, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

/** A key file that is malformed, uses what this reader does not support, or a wrong password. */
export class KeystoreError extends Error {
  override readonly name = "KeystoreError";
}

/** geth's "standard" scrypt cost for new key files: about a second and 256 MiB to open. */
export const DEFAULT_SCRYPT_N = 2 ** 18;
/** Refuse key files whose scrypt would need more memory than this (a hostile file could ask for any). */
const MAX_SCRYPT_MEMORY = 2 ** 31;
/** Likewise for PBKDF2's CPU: geth writes 262,144 iterations; this is about 40 times that. */
const MAX_PBKDF2_ITERATIONS = 10_000_000;

interface ScryptParams {
  readonly n: number;
  readonly r: number;
  readonly p: number;
  readonly dklen: number;
  readonly salt: string;
}

interface Pbkdf2Params {
  readonly c: number;
  readonly prf: string;
  readonly dklen: number;
  readonly salt: string;
}

export interface KeystoreV3 {
  readonly version: 3;
  readonly id: string;
  /** Lower-case hex without 0x, as geth writes it. */
  readonly address: string;
  readonly crypto: {
    readonly cipher: "aes-128-ctr";
    readonly cipherparams: { readonly iv: string };
    readonly ciphertext: string;
    readonly kdf: "scrypt" | "pbkdf2";
    readonly kdfparams: ScryptParams | Pbkdf2Params;
    readonly mac: string;
  };
}

type CryptoSection = KeystoreV3["crypto"];

const unhex = (value: unknown, what: string): Buffer => {
  const text = typeof value === "string" ? value.replace(/^0x/, "") : "";
  if (!/^([0-9a-fA-F]{2})+$/.test(text)) throw new KeystoreError(`the key file's ${what} is not hex`);
  return Buffer.from(text, "hex");
};

const positiveInteger = (value: unknown, what: string): number => {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) throw new KeystoreError(`the key file's ${what} is not a positive integer`);
  return value;
};

function scryptKey(password: string, salt: Buffer, dklen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, dklen, options, (error, key) => (error ? reject(error) : resolve(key))));
}

function pbkdf2Key(password: string, salt: Buffer, iterations: number, dklen: number): Promise<Buffer> {
  return new Promise((resolve, reject) => pbkdf2(password, salt, iterations, dklen, "sha256", (error, key) => (error ? reject(error) : resolve(key))));
}

async function deriveKey(password: string, crypto: CryptoSection): Promise<Buffer> {
  const params = crypto.kdfparams as Partial<ScryptParams & Pbkdf2Params> | undefined;
  if (typeof params !== "object" || params === null) throw new KeystoreError("the key file has no kdfparams");
  const salt = unhex(params.salt, "salt");
  const dklen = positiveInteger(params.dklen, "dklen");
  if (dklen < 32) throw new KeystoreError(`the key file's dklen is ${dklen}; version 3 needs at least 32 bytes`);
  if (crypto.kdf === "scrypt") {
    const N = positiveInteger(params.n, "scrypt n");
    const r = positiveInteger(params.r, "scrypt r");
    const p = positiveInteger(params.p, "scrypt p");
    const memory = 128 * N * r;
    if (memory > MAX_SCRYPT_MEMORY) throw new KeystoreError(`the key file's scrypt parameters need ${memory} bytes of memory, more than the ${MAX_SCRYPT_MEMORY} this reader allows`);
    try {
      return await scryptKey(password, salt, dklen, { N, r, p, maxmem: memory + 2 ** 24 });
    } catch (error) {
      throw new KeystoreError(`the key file's scrypt parameters are invalid (${(error as Error).message})`);
    }
  }
  if (crypto.kdf === "pbkdf2") {
    if (params.prf !== "hmac-sha256") throw new KeystoreError(`the key file's PBKDF2 uses ${String(params.prf)}; only hmac-sha256 is supported`);
    const iterations = positiveInteger(params.c, "PBKDF2 iteration count");
    if (iterations > MAX_PBKDF2_ITERATIONS) throw new KeystoreError(`the key file asks for ${iterations} PBKDF2 iterations, more than the ${MAX_PBKDF2_ITERATIONS} this reader allows`);
    return pbkdf2Key(password, salt, iterations, dklen);
  }
  throw new KeystoreError(`the key file uses the key derivation "${String(crypto.kdf)}"; only scrypt and pbkdf2 are supported`);
}

const mac = (derived: Buffer, ciphertext: Buffer): Hex => keccak256(concat([derived.subarray(16, 32), ciphertext]));

/** The private key in a version-3 key file; a KeystoreError for a malformed file or a wrong password. */
export async function decryptKeystore(file: unknown, password: string): Promise<Hex> {
  if (typeof file !== "object" || file === null) throw new KeystoreError("the key file is not a JSON object");
  const json = file as { version?: unknown; address?: unknown; crypto?: CryptoSection; Crypto?: CryptoSection };
  if (json.version !== 3) throw new KeystoreError(`the key file is version ${String(json.version)}; only version 3 is supported`);
  const crypto = json.crypto ?? json.Crypto; // geth writes "crypto", older tools "Crypto"
  if (typeof crypto !== "object" || crypto === null) throw new KeystoreError("the key file has no crypto section");
  if (crypto.cipher !== "aes-128-ctr") throw new KeystoreError(`the key file uses the cipher "${String(crypto.cipher)}"; only aes-128-ctr is supported`);
  const iv = unhex(crypto.cipherparams?.iv, "iv");
  if (iv.length !== 16) throw new KeystoreError(`the key file's iv has ${iv.length} bytes, not 16`);
  const ciphertext = unhex(crypto.ciphertext, "ciphertext");
  if (ciphertext.length !== 32) throw new KeystoreError(`the key file holds ${ciphertext.length} bytes, not a 32-byte private key`);
  const expectedMac = unhex(crypto.mac, "mac");
  const derived = await deriveKey(password, crypto);
  if (mac(derived, ciphertext) !== bytesToHex(expectedMac)) throw new KeystoreError("wrong password for the key file (its MAC does not match)");
  const decipher = createDecipheriv("aes-128-ctr", derived.subarray(0, 16), iv);
  const key = bytesToHex(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  const stated = keystoreAddress(json);
  if (stated !== undefined && stated !== privateKeyToAccount(key).address) {
    throw new KeystoreError(`the key file says it is ${stated}, but its key is ${privateKeyToAccount(key).address}`);
  }
  return key;
}

/** The JSON of the key file at `path`; a KeystoreError naming the file when it cannot be read or parsed. */
export function readKeystoreFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new KeystoreError(`cannot read the key file ${path}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new KeystoreError(`the key file ${path} is not JSON`);
  }
}

/**
 * The private key in the key file at `path`. The file is read before `password` is asked for,
 * so nobody is prompted for a file that is missing; every failure of the file itself is a
 * KeystoreError naming it (the password source's own errors pass through).
 */
export async function openKeystoreFile(path: string, password: () => string | Promise<string>): Promise<Hex> {
  const file = readKeystoreFile(path);
  const secret = await password();
  try {
    return await decryptKeystore(file, secret);
  } catch (error) {
    if (error instanceof KeystoreError) throw new KeystoreError(`${path}: ${error.message}`);
    throw error;
  }
}

/** The address a key file states in clear, if any (readable without the password). */
export function keystoreAddress(file: unknown): Address | undefined {
  const address = (file as { address?: unknown } | null)?.address;
  if (typeof address !== "string") return undefined;
  const prefixed = address.startsWith("0x") ? address : `0x${address}`;
  return isHex(prefixed) && prefixed.length === 42 ? getAddress(prefixed) : undefined;
}

/** Encrypts a private key into a version-3 key file (scrypt, r = 8, p = 1). */
export async function encryptKeystore(privateKey: Hex, password: string, { scryptN = DEFAULT_SCRYPT_N } = {}): Promise<KeystoreV3> {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const kdfparams = { n: scryptN, r: 8, p: 1, dklen: 32, salt: salt.toString("hex") };
  const derived = await scryptKey(password, salt, 32, { N: scryptN, r: 8, p: 1, maxmem: 128 * scryptN * 8 + 2 ** 24 });
  const cipher = createCipheriv("aes-128-ctr", derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(Buffer.from(privateKey.slice(2), "hex")), cipher.final()]);
  return {
    version: 3,
    id: randomUUID(),
    address: privateKeyToAccount(privateKey).address.slice(2).toLowerCase(),
    crypto: {
      cipher: "aes-128-ctr",
      cipherparams: { iv: iv.toString("hex") },
      ciphertext: ciphertext.toString("hex"),
      kdf: "scrypt",
      kdfparams,
      mac: mac(derived, ciphertext).slice(2),
    },
  };
}
