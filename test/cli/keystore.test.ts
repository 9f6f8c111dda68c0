/**
 * Encrypted key files (scripts/cli/keystore.ts, signerKey.ts, `bazaar account`): files written by
 * other tools open (the specification's PBKDF2 vector, an ethers scrypt file), a wrong password,
 * a tampered file and unsupported or hostile parameters are refused with a sentence, our files
 * round-trip, the environment's plain key wins over the key file, and `bazaar account new|import`
 * write owner-only files they never overwrite.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { privateKeyToAccount } from "viem/accounts";
import { CliError } from "../../scripts/cli/cliError.ts";
import { decryptKeystore, encryptKeystore, keystoreAddress, KeystoreError, openKeystoreFile } from "@modelbazaar/sdk/node";
import { configuredAddress, KEYSTORE_ENV, KEYSTORE_PASSWORD_ENV, PRIVATE_KEY_ENV, signerKey } from "../../scripts/cli/signerKey.ts";
import { runBazaar, type CliResult } from "../helpers/runBazaar.ts";

const FIXTURES = new URL("../fixtures/keystore/", import.meta.url).pathname;
const SPEC = join(FIXTURES, "spec-pbkdf2.json");
const ETHERS = join(FIXTURES, "ethers-scrypt.json");
const SPEC_KEY = "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";
const ETHERS_KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const read = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
const refused = (message: RegExp) => (error: unknown) => error instanceof KeystoreError && message.test(error.message);

/** A copy of `file` with `edit` applied to its crypto section. */
function tampered(file: string, edit: (crypto: Record<string, unknown>) => void): Record<string, unknown> {
  const json = structuredClone(read(file));
  edit((json.crypto ?? json.Crypto) as Record<string, unknown>);
  return json;
}

/** `bazaar` with no key of this process's environment, only what `env` sets. */
function bazaar(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  return runBazaar(args, { env: { [PRIVATE_KEY_ENV]: undefined, [KEYSTORE_ENV]: undefined, [KEYSTORE_PASSWORD_ENV]: undefined, ...env } });
}

/** Runs `body` with the three variables set as given (unset when undefined), then restores them. */
async function withEnv(values: Record<string, string | undefined>, body: () => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(entries)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(values);
  try {
    await body();
  } finally {
    apply(saved);
  }
}

describe("encrypted key files", () => {
  const dir = mkdtempSync(join(tmpdir(), "bazaar-keystore-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("opens the specification's PBKDF2 vector and a scrypt file written by ethers", async () => {
    assert.equal(await decryptKeystore(read(SPEC), "testpassword"), SPEC_KEY);
    assert.equal(await decryptKeystore(read(ETHERS), "modelbazaar-test"), ETHERS_KEY);
    assert.equal(keystoreAddress(read(ETHERS)), privateKeyToAccount(ETHERS_KEY).address);
    assert.equal(keystoreAddress(read(SPEC)), undefined, "the vector states no address");
  });

  it("refuses a wrong password, a tampered file and a file whose address is not its key's", async () => {
    await assert.rejects(decryptKeystore(read(ETHERS), "modelbazaar-tesT"), refused(/wrong password for the key file/));
    const flipped = tampered(ETHERS, (c) => {
      const text = c.ciphertext as string;
      c.ciphertext = `${text.slice(0, -1)}${text.endsWith("0") ? "1" : "0"}`;
    });
    await assert.rejects(decryptKeystore(flipped, "modelbazaar-test"), refused(/wrong password for the key file \(its MAC does not match\)/));
    const otherAddress = { ...read(ETHERS), address: "0000000000000000000000000000000000000001" };
    await assert.rejects(decryptKeystore(otherAddress, "modelbazaar-test"), refused(/says it is 0x0{39}1, but its key is 0x2c75/));
  });

  it("refuses what it does not support, and scrypt costs a hostile file could use to exhaust memory", async () => {
    const cases: [unknown, RegExp][] = [
      ["not an object", /not a JSON object/],
      [{ ...read(SPEC), version: 1 }, /version 1; only version 3/],
      [{ version: 3 }, /no crypto section/],
      [tampered(SPEC, (c) => (c.cipher = "aes-128-cbc")), /cipher "aes-128-cbc"; only aes-128-ctr/],
      [tampered(SPEC, (c) => (c.kdf = "argon2")), /key derivation "argon2"; only scrypt and pbkdf2/],
      [tampered(SPEC, (c) => ((c.kdfparams as Record<string, unknown>).prf = "hmac-sha512")), /PBKDF2 uses hmac-sha512/],
      [tampered(SPEC, (c) => ((c.cipherparams as Record<string, unknown>).iv = "00")), /iv has 1 bytes, not 16/],
      [tampered(SPEC, (c) => (c.ciphertext = "zz")), /ciphertext is not hex/],
      [tampered(SPEC, (c) => (c.ciphertext = "00".repeat(31))), /holds 31 bytes, not a 32-byte private key/],
      [tampered(ETHERS, (c) => ((c.kdfparams as Record<string, unknown>).n = 2 ** 30)), /need \d+ bytes of memory, more than/],
      [tampered(ETHERS, (c) => ((c.kdfparams as Record<string, unknown>).n = 1000)), /scrypt parameters are invalid/],
      [tampered(SPEC, (c) => ((c.kdfparams as Record<string, unknown>).c = 2 ** 40)), /asks for \d+ PBKDF2 iterations, more than/],
      [tampered(ETHERS, (c) => ((c.kdfparams as Record<string, unknown>).dklen = 16)), /dklen is 16; version 3 needs at least 32/],
    ];
    for (const [file, message] of cases) await assert.rejects(decryptKeystore(file, "testpassword"), refused(message), String(message));
  });

  it("opens a key file by path: read first, the password asked only then, every failure naming the file", async () => {
    const never = () => {
      throw new Error("the password was asked for a file that cannot be opened");
    };
    await assert.rejects(openKeystoreFile(join(dir, "absent.json"), never), refused(/^cannot read the key file .*absent\.json$/));
    const notJson = join(dir, "not-json.json");
    writeFileSync(notJson, "{ nope");
    await assert.rejects(openKeystoreFile(notJson, never), refused(/^the key file .*not-json\.json is not JSON$/));
    await assert.rejects(openKeystoreFile(ETHERS, () => "wrong"), refused(/^.*ethers-scrypt\.json: wrong password for the key file/));
    assert.equal(await openKeystoreFile(ETHERS, async () => "modelbazaar-test"), ETHERS_KEY);
  });

  it("round-trips its own files, with a fresh salt and iv each time", async () => {
    const a = await encryptKeystore(ETHERS_KEY, "pw", { scryptN: 2 ** 10 });
    const b = await encryptKeystore(ETHERS_KEY, "pw", { scryptN: 2 ** 10 });
    assert.equal(a.version, 3);
    assert.equal(a.crypto.kdf, "scrypt");
    assert.deepEqual({ ...a.crypto.kdfparams, salt: "" }, { n: 1024, r: 8, p: 1, dklen: 32, salt: "" });
    assert.notEqual(a.crypto.ciphertext, b.crypto.ciphertext);
    assert.equal(await decryptKeystore(JSON.parse(JSON.stringify(a)), "pw"), ETHERS_KEY);
    assert.equal(keystoreAddress(a), privateKeyToAccount(ETHERS_KEY).address);
  });

  it("signs with the plain key when set, else opens the key file; the address needs no password", async () => {
    await withEnv({ [PRIVATE_KEY_ENV]: undefined, [KEYSTORE_ENV]: ETHERS, [KEYSTORE_PASSWORD_ENV]: "modelbazaar-test" }, async () => {
      assert.equal(await signerKey(), ETHERS_KEY);
      assert.equal(configuredAddress(), privateKeyToAccount(ETHERS_KEY).address);
    });
    await withEnv({ [PRIVATE_KEY_ENV]: SPEC_KEY, [KEYSTORE_ENV]: ETHERS, [KEYSTORE_PASSWORD_ENV]: "wrong" }, async () => {
      assert.equal(await signerKey(), SPEC_KEY);
      assert.equal(configuredAddress(), privateKeyToAccount(SPEC_KEY).address);
    });
    const cliError = (message: RegExp) => (error: unknown) => error instanceof CliError && message.test(error.message);
    await withEnv({ [PRIVATE_KEY_ENV]: undefined, [KEYSTORE_ENV]: ETHERS, [KEYSTORE_PASSWORD_ENV]: "wrong" }, async () => {
      await assert.rejects(signerKey(), cliError(/ethers-scrypt\.json: wrong password for the key file .*\(MODELBAZAAR_KEYSTORE\)$/));
    });
    await withEnv({ [PRIVATE_KEY_ENV]: undefined, [KEYSTORE_ENV]: join(dir, "absent.json"), [KEYSTORE_PASSWORD_ENV]: "x" }, async () => {
      await assert.rejects(signerKey(), cliError(/^cannot read the key file .*absent\.json \(MODELBAZAAR_KEYSTORE\)$/));
      assert.throws(() => configuredAddress(), cliError(/^cannot read the key file .*absent\.json \(MODELBAZAAR_KEYSTORE\)$/), "an unreadable key file is not taken for no account");
    });
    await withEnv({ [PRIVATE_KEY_ENV]: undefined, [KEYSTORE_ENV]: undefined, [KEYSTORE_PASSWORD_ENV]: undefined }, async () => {
      await assert.rejects(signerKey(), cliError(/set MODELBAZAAR_KEYSTORE to your encrypted key file/));
    });
  });

  it("bazaar account new and import write owner-only key files, never overwrite one, and need a password", async () => {
    const fresh = join(dir, "fresh.json");
    const made = await bazaar(["--json", "account", "new", fresh], { [KEYSTORE_PASSWORD_ENV]: "correct horse" });
    assert.equal(made.code, 0, made.stderr);
    const { address } = JSON.parse(made.stdout) as { address: string };
    assert.equal(statSync(fresh).mode & 0o777, 0o600);
    assert.equal(privateKeyToAccount(await decryptKeystore(read(fresh), "correct horse")).address, address);

    const again = await bazaar(["account", "new", fresh], { [KEYSTORE_PASSWORD_ENV]: "x" });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^bazaar: .*fresh\.json exists; choose another file \(a key file is never overwritten\)\n$/);

    const imported = join(dir, "imported.json");
    const ok = await bazaar(["account", "import", imported], { [PRIVATE_KEY_ENV]: SPEC_KEY, [KEYSTORE_PASSWORD_ENV]: "pw" });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`export MODELBAZAAR_KEYSTORE=${imported}`));
    assert.equal(await decryptKeystore(read(imported), "pw"), SPEC_KEY);

    for (const [args, env, message] of [
      [["account", "new", join(dir, "a.json")], {}, /no terminal to ask for the password: set MODELBAZAAR_KEYSTORE_PASSWORD/],
      [["account", "new", join(dir, "b.json")], { [KEYSTORE_PASSWORD_ENV]: "" }, /refusing an empty password/],
      [["account", "import", join(dir, "c.json")], { [KEYSTORE_PASSWORD_ENV]: "pw" }, /set MODELBAZAAR_PRIVATE_KEY to the key to import/],
    ] as const) {
      const r = await bazaar([...args], env);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, message);
    }
  });

  it("bazaar account show says a malformed key is malformed (and how), never that no account is configured, and never echoes it", async () => {
    const digits = SPEC_KEY.slice(2);
    const cases: [string, RegExp][] = [
      ["0x1234", /it has 4 hex digits, not 64/],
      [digits, /it lacks the 0x prefix/],
      [`0x${digits.slice(0, 63)}g`, /it has characters that are not hex digits/],
      [`${SPEC_KEY}\n`, /it has spaces or a line break around it/],
    ];
    for (const [key, how] of cases) {
      const r = await bazaar(["account", "show", "--rpc", "http://127.0.0.1:1"], { [PRIVATE_KEY_ENV]: key });
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, /^bazaar: MODELBAZAAR_PRIVATE_KEY is set but malformed: a private key is 0x followed by 64 hex digits, and /);
      assert.match(r.stderr, how);
      assert.doesNotMatch(r.stderr, /no account is configured/);
      assert.ok(!r.stderr.includes(digits.slice(0, 16)), "the key is not repeated");
    }
    const missingFile = await bazaar(["account", "show", "--rpc", "http://127.0.0.1:1"], { [KEYSTORE_ENV]: join(dir, "absent.json") });
    assert.match(missingFile.stderr, /^bazaar: cannot read the key file .*absent\.json \(MODELBAZAAR_KEYSTORE\)\n$/);
    const none = await bazaar(["account", "show", "--rpc", "http://127.0.0.1:1"], {});
    assert.match(none.stderr, /^bazaar: no account is configured: set MODELBAZAAR_KEYSTORE or MODELBAZAAR_PRIVATE_KEY, or pass --account <address>\n$/);
  });
});
