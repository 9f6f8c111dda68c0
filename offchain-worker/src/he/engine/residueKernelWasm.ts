/**
 * The WebAssembly module of the residue kernel (residueKernel.ts), hand-encoded: the project
 * has no WAT assembler among its packages, and the module is two loops, so its bytes are
 * written here with a few encoding helpers. It exports its memory and two functions:
 *
 * accumulate(table, n, primes, L, segments, accShift, block)
 *   For every segment s < segments (polynomial s / L, prime l = s % L, n coefficients) and
 *   every block of `block` coefficients, walks the table
 *     i32 outputs | per output: i32 accOffset, i32 terms | per term: i32 xOffset, i32 polys,
 *     L x (i64 c, i64 c') with c = w mod q_l and c' = floor(c * 2^64 / q_l) (Shoup)
 *   and adds c * x mod q_l into the output's accumulator, lazily: the product is reduced by
 *   Shoup's method into [0, 4 q) (the high word of x * c' is built from three 32 x 32 products,
 *   dropping the low one: an estimate at most 2 below, hence 4 q instead of 2 q) and the sum
 *   is kept in [0, 4 q) by one conditional subtraction. Terms whose input has fewer
 *   polynomials than the segment's are skipped. accShift is added to every accOffset (one
 *   table serves every batch). primes: L x (i64 q, i64 4q). Residues are < q <= 2^60.
 * finish(acc, n, primes, L, polys, bias)
 *   Adds bias[l] (an i64 residue per prime) to polynomial 0 and reduces every accumulator
 *   coefficient from [0, 5 q) to [0, q).
 */

const I32 = 0x7f;
const I64 = 0x7e;
const EMPTY = 0x40;

function unsigned(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function signed(value: bigint): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    if ((value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

function vector(items: readonly number[][]): number[] {
  return [...unsigned(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsigned(content.length), ...content];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...unsigned(bytes.length), ...bytes];
}

/** The instructions the kernel uses (operands inline). */
const op = {
  block: [0x02, EMPTY],
  loop: [0x03, EMPTY],
  if: [0x04, EMPTY],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...unsigned(depth)],
  brIf: (depth: number) => [0x0d, ...unsigned(depth)],
  select: [0x1b],
  get: (local: number) => [0x20, ...unsigned(local)],
  set: (local: number) => [0x21, ...unsigned(local)],
  i32Load: (offset = 0) => [0x28, 2, ...unsigned(offset)],
  i64Load: (offset = 0) => [0x29, 3, ...unsigned(offset)],
  i64Store: (offset = 0) => [0x37, 3, ...unsigned(offset)],
  i32Const: (value: number) => [0x41, ...signed(BigInt(value))],
  i64Const: (value: bigint) => [0x42, ...signed(value)],
  i32Eqz: [0x45],
  i32LtU: [0x49],
  i32GeU: [0x4f],
  i64GeU: [0x5a],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32DivU: [0x6e],
  i32RemU: [0x70],
  i64Add: [0x7c],
  i64Sub: [0x7d],
  i64Mul: [0x7e],
  i64And: [0x83],
  i64ShrU: [0x88],
} as const;

/** Instructions, nested as the loops nest. */
type Code = readonly (number | Code)[];
const flat = (code: Code): number[] => code.flatMap((part) => (typeof part === "number" ? [part] : flat(part)));

/** Locals of a function: parameters first, then the declared ones, numbered in order. */
function locals(names: readonly string[]): Record<string, number> {
  return Object.fromEntries(names.map((local, index) => [local, index]));
}

/** `local = select(local - k, local, local >= k)`: one conditional subtraction (unsigned). */
function reduceBy(local: number, k: number): Code {
  return [op.get(local), op.get(k), op.i64Sub, op.get(local), op.get(local), op.get(k), op.i64GeU, op.select, op.set(local)];
}

const ACCUMULATE_PARAMS = ["table", "n", "primes", "L", "segments", "accShift", "block"];
const ACCUMULATE_I32 = ["seg", "l", "p", "start", "walk", "outputs", "acc", "terms", "a", "x", "end", "w", "segOff"];
const ACCUMULATE_I64 = ["q", "q4", "c", "cph", "cpl", "xv", "x1", "x0", "v"];

function accumulateBody(): number[] {
  const v = locals([...ACCUMULATE_PARAMS, ...ACCUMULATE_I32, ...ACCUMULATE_I64]);
  const inner: Code = [
    op.loop,
    // xv = x[k]; x1 = xv >> 32; x0 = xv & (2^32 - 1)
    op.get(v.x!), op.i64Load(), op.set(v.xv!),
    op.get(v.xv!), op.i64Const(32n), op.i64ShrU, op.set(v.x1!),
    op.get(v.xv!), op.i64Const(0xffffffffn), op.i64And, op.set(v.x0!),
    // v = acc[k] + xv * c - (x1 * cph + (x1 * cpl >> 32) + (x0 * cph >> 32)) * q
    op.get(v.a!), op.i64Load(),
    op.get(v.xv!), op.get(v.c!), op.i64Mul, op.i64Add,
    op.get(v.x1!), op.get(v.cph!), op.i64Mul,
    op.get(v.x1!), op.get(v.cpl!), op.i64Mul, op.i64Const(32n), op.i64ShrU, op.i64Add,
    op.get(v.x0!), op.get(v.cph!), op.i64Mul, op.i64Const(32n), op.i64ShrU, op.i64Add,
    op.get(v.q!), op.i64Mul, op.i64Sub, op.set(v.v!),
    reduceBy(v.v!, v.q4!),
    op.get(v.a!), op.get(v.v!), op.i64Store(),
    op.get(v.a!), op.i32Const(8), op.i32Add, op.set(v.a!),
    op.get(v.x!), op.i32Const(8), op.i32Add, op.set(v.x!),
    op.get(v.a!), op.get(v.end!), op.i32LtU, op.brIf(0),
    op.end,
  ];
  const term: Code = [
    op.block, op.loop,
    op.get(v.terms!), op.i32Eqz, op.brIf(1),
    // if (p < polys of the term's input)
    op.get(v.p!), op.get(v.walk!), op.i32Load(4), op.i32LtU, op.if,
    op.get(v.walk!), op.i32Const(8), op.i32Add, op.get(v.l!), op.i32Const(16), op.i32Mul, op.i32Add, op.set(v.w!),
    op.get(v.w!), op.i64Load(0), op.set(v.c!),
    op.get(v.w!), op.i64Load(8), op.i64Const(32n), op.i64ShrU, op.set(v.cph!),
    op.get(v.w!), op.i64Load(8), op.i64Const(0xffffffffn), op.i64And, op.set(v.cpl!),
    op.get(v.walk!), op.i32Load(0), op.get(v.segOff!), op.i32Add, op.get(v.start!), op.i32Const(8), op.i32Mul, op.i32Add, op.set(v.x!),
    op.get(v.acc!), op.set(v.a!),
    op.get(v.acc!), op.get(v.block!), op.i32Const(8), op.i32Mul, op.i32Add, op.set(v.end!),
    inner,
    op.end,
    // walk += 8 + 16 L; terms -= 1
    op.get(v.walk!), op.i32Const(8), op.i32Add, op.get(v.L!), op.i32Const(16), op.i32Mul, op.i32Add, op.set(v.walk!),
    op.get(v.terms!), op.i32Const(1), op.i32Sub, op.set(v.terms!),
    op.br(0),
    op.end, op.end,
  ];
  const output: Code = [
    op.block, op.loop,
    op.get(v.outputs!), op.i32Eqz, op.brIf(1),
    op.get(v.walk!), op.i32Load(0), op.get(v.accShift!), op.i32Add, op.get(v.segOff!), op.i32Add, op.get(v.start!), op.i32Const(8), op.i32Mul, op.i32Add, op.set(v.acc!),
    op.get(v.walk!), op.i32Load(4), op.set(v.terms!),
    op.get(v.walk!), op.i32Const(8), op.i32Add, op.set(v.walk!),
    term,
    op.get(v.outputs!), op.i32Const(1), op.i32Sub, op.set(v.outputs!),
    op.br(0),
    op.end, op.end,
  ];
  const body: Code = [
    op.i32Const(0), op.set(v.seg!),
    op.loop,
    op.get(v.seg!), op.get(v.L!), op.i32RemU, op.set(v.l!),
    op.get(v.seg!), op.get(v.L!), op.i32DivU, op.set(v.p!),
    op.get(v.primes!), op.get(v.l!), op.i32Const(16), op.i32Mul, op.i32Add, op.i64Load(0), op.set(v.q!),
    op.get(v.primes!), op.get(v.l!), op.i32Const(16), op.i32Mul, op.i32Add, op.i64Load(8), op.set(v.q4!),
    op.get(v.seg!), op.get(v.n!), op.i32Mul, op.i32Const(8), op.i32Mul, op.set(v.segOff!),
    op.i32Const(0), op.set(v.start!),
    op.loop,
    op.get(v.table!), op.i32Load(0), op.set(v.outputs!),
    op.get(v.table!), op.i32Const(4), op.i32Add, op.set(v.walk!),
    output,
    op.get(v.start!), op.get(v.block!), op.i32Add, op.set(v.start!),
    op.get(v.start!), op.get(v.n!), op.i32LtU, op.brIf(0),
    op.end,
    op.get(v.seg!), op.i32Const(1), op.i32Add, op.set(v.seg!),
    op.get(v.seg!), op.get(v.segments!), op.i32LtU, op.brIf(0),
    op.end,
  ];
  return functionBody([[ACCUMULATE_I32.length, I32], [ACCUMULATE_I64.length, I64]], body);
}

const FINISH_PARAMS = ["acc", "n", "primes", "L", "polys", "bias"];
const FINISH_I32 = ["seg", "l", "a", "end"];
const FINISH_I64 = ["q", "q2", "q4", "b", "v"];

function finishBody(): number[] {
  const v = locals([...FINISH_PARAMS, ...FINISH_I32, ...FINISH_I64]);
  const body: Code = [
    op.i32Const(0), op.set(v.seg!),
    op.loop,
    op.get(v.seg!), op.get(v.L!), op.i32RemU, op.set(v.l!),
    op.get(v.primes!), op.get(v.l!), op.i32Const(16), op.i32Mul, op.i32Add, op.i64Load(0), op.set(v.q!),
    op.get(v.q!), op.get(v.q!), op.i64Add, op.set(v.q2!),
    op.get(v.q2!), op.get(v.q2!), op.i64Add, op.set(v.q4!),
    // b = seg < L ? bias[l] : 0 (the bias is a plaintext: it goes to polynomial 0 only)
    op.get(v.bias!), op.get(v.l!), op.i32Const(8), op.i32Mul, op.i32Add, op.i64Load(0), op.i64Const(0n), op.get(v.seg!), op.get(v.L!), op.i32LtU, op.select, op.set(v.b!),
    op.get(v.acc!), op.get(v.seg!), op.get(v.n!), op.i32Mul, op.i32Const(8), op.i32Mul, op.i32Add, op.set(v.a!),
    op.get(v.a!), op.get(v.n!), op.i32Const(8), op.i32Mul, op.i32Add, op.set(v.end!),
    op.loop,
    op.get(v.a!), op.i64Load(), op.get(v.b!), op.i64Add, op.set(v.v!),
    reduceBy(v.v!, v.q4!),
    reduceBy(v.v!, v.q2!),
    reduceBy(v.v!, v.q!),
    op.get(v.a!), op.get(v.v!), op.i64Store(),
    op.get(v.a!), op.i32Const(8), op.i32Add, op.set(v.a!),
    op.get(v.a!), op.get(v.end!), op.i32LtU, op.brIf(0),
    op.end,
    op.get(v.seg!), op.i32Const(1), op.i32Add, op.set(v.seg!),
    op.get(v.seg!), op.get(v.polys!), op.get(v.L!), op.i32Mul, op.i32LtU, op.brIf(0),
    op.end,
  ];
  return functionBody([[FINISH_I32.length, I32], [FINISH_I64.length, I64]], body);
}

function functionBody(declared: readonly [number, number][], body: Code): number[] {
  const content = [...vector(declared.map(([count, type]) => [...unsigned(count), type])), ...flat(body), ...op.end];
  return [...unsigned(content.length), ...content];
}

/** Largest memory the kernel may grow to: 65,536 pages of 64 KiB (4 GiB, wasm32's limit). */
export const MAX_PAGES = 65536;

/** The kernel module's bytes. */
export function residueKernelBytes(): Uint8Array<ArrayBuffer> {
  const type = (params: number): number[] => [0x60, ...vector(Array.from({ length: params }, () => [I32])), 0];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([type(ACCUMULATE_PARAMS.length), type(FINISH_PARAMS.length)])),
    ...section(3, vector([[0], [1]])),
    ...section(5, vector([[0x01, ...unsigned(1), ...unsigned(MAX_PAGES)]])),
    ...section(7, vector([[...name("memory"), 0x02, 0], [...name("accumulate"), 0x00, 0], [...name("finish"), 0x00, 1]])),
    ...section(10, vector([accumulateBody(), finishBody()])),
  ];
  return new Uint8Array(bytes);
}
