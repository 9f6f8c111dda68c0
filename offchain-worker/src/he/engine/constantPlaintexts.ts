/**
 * Constant plaintexts without encoding. A CKKS constant c at scale S encodes to the constant
 * polynomial round(c * S), whose NTT form is that same residue in every coefficient of every
 * prime. So instead of SEAL's full encode (an FFT and N*L NTT work: ~0.5 ms at N=4096, more
 * than the multiply it feeds), we keep one serialized plaintext per level as a template and
 * patch its residues and scale, then `loadFromArray` it (a copy and a range check: ~0.03 ms).
 *
 * Serialized Plaintext layout (SEAL 4.1, compression none): 16-byte SEALHeader | parms_id
 * (32) | coeff_count u64 | scale f64 | DynArray: 16-byte SEALHeader | size u64 | size x u64
 * data. Checked against the template when it is made.
 */
import { type HeContext, HeError, sealCall, type ParmsIdType, type Plaintext } from "@modelbazaar/sdk/he";

const SCALE_OFFSET = 56;
const DATA_SIZE_OFFSET = 80;
const DATA_OFFSET = 88;

interface LevelTemplate {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly data: BigUint64Array;
  readonly moduli: readonly bigint[];
}

/** round(value * scale), the integer the constant encodes to (0n: the term contributes nothing). */
export function constantInteger(value: number, scale: number): bigint {
  const integer = Math.round(value * scale);
  if (integer === 0) return 0n;
  if (!Number.isFinite(integer)) throw new HeError("unsupported-plan", `The constant ${value} at scale ${scale} is not finite.`);
  return BigInt(integer);
}

/** integer mod q, in [0, q). */
export function residue(integer: bigint, q: bigint): bigint {
  return ((integer % q) + q) % q;
}

export class ConstantPlaintexts {
  private readonly he: HeContext;
  private readonly templates = new Map<number, LevelTemplate>();
  /** The plaintext every `load` fills (valid until the next call). */
  readonly plaintext: Plaintext;

  constructor(he: HeContext) {
    this.he = he;
    this.plaintext = new he.seal.Plaintext();
  }

  /**
   * Fills `this.plaintext` with the constant `value` at `scale` for the chain level
   * `chainIndex` (whose parms_id is `parmsId`). Returns false when round(value * scale) is 0:
   * such a term contributes nothing (and SEAL would refuse the transparent product).
   */
  load(value: number, scale: number, chainIndex: number, parmsId: ParmsIdType): boolean {
    const integer = constantInteger(value, scale);
    if (integer === 0n) return false;
    this.loadInteger(integer, scale, chainIndex, parmsId);
    return true;
  }

  /** Fills `this.plaintext` with the constant polynomial `integer` at `scale` (the integer 1: the smallest non-zero constant, 1 / scale). */
  loadInteger(integer: bigint, scale: number, chainIndex: number, parmsId: ParmsIdType): void {
    const template = this.template(chainIndex, parmsId);
    const n = this.he.parameters.polyModulusDegree;
    template.moduli.forEach((q, j) => template.data.fill(residue(integer, q), j * n, (j + 1) * n));
    template.view.setFloat64(SCALE_OFFSET, scale, true);
    sealCall("loading a constant plaintext", () => this.plaintext.loadFromArray(this.he.context, template.bytes));
  }

  private template(chainIndex: number, parmsId: ParmsIdType): LevelTemplate {
    const cached = this.templates.get(chainIndex);
    if (cached) return cached;
    const { seal, encoder, context } = this.he;
    const template = sealCall("making a constant plaintext template", () => {
      const plaintext = new seal.Plaintext();
      const evaluator = new seal.Evaluator(context);
      encoder.encode(new Float64Array(encoder.slotCount()).fill(1), 2 ** 20, plaintext);
      evaluator.plainModSwitchToInplace(plaintext, parmsId);
      const bytes = (plaintext.saveToArray(seal.ComprModeType.none) as Uint8Array).slice();
      evaluator.delete();
      plaintext.delete();
      const contextData = context.getContextData(parmsId);
      const parms = contextData.parms();
      const vector = parms.coeffModulus();
      const moduli: bigint[] = [];
      for (let j = 0; j < vector.size(); ++j) {
        const modulus = vector.get(j)!;
        moduli.push(modulus.value());
        modulus.delete();
      }
      vector.delete();
      parms.delete();
      contextData.delete();
      return { bytes, moduli };
    });
    const view = new DataView(template.bytes.buffer, template.bytes.byteOffset, template.bytes.byteLength);
    const count = template.moduli.length * this.he.parameters.polyModulusDegree;
    if (Number(view.getBigUint64(DATA_SIZE_OFFSET, true)) !== count || template.bytes.length !== DATA_OFFSET + 8 * count) {
      throw new HeError("seal", "This SEAL build serializes plaintexts in an unexpected layout; constant plaintexts cannot be patched.");
    }
    const data = new BigUint64Array(template.bytes.buffer, template.bytes.byteOffset + DATA_OFFSET, count);
    const level: LevelTemplate = { bytes: template.bytes, view, data, moduli: template.moduli };
    this.templates.set(chainIndex, level);
    return level;
  }

  delete(): void {
    this.plaintext.delete();
  }
}
