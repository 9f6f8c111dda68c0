/**
 * Binds a data directory to the chain it serves: its genesis block hash, the market's address,
 * the market's deployment block (number and hash), and the last block the watcher scanned (a
 * checkpoint, number and hash). The first start on a directory records them; every later start
 * compares, and refuses with a sentence when the RPC now serves another chain (a reset
 * development chain, a redeployment at the same addresses, another network): the jobs, nonces
 * and receipts in the directory belong to the old one, and a worker that kept them would
 * refuse the new chain's tests (`job_exists`) and serve the old chain's results. The checkpoint
 * catches what the genesis cannot: development chains are deterministic up to the deployment,
 * so a reset chain differs only in the blocks after it (or does not have them yet).
 */
import type { DatabaseSync } from "node:sqlite";
import type { Address, Hex } from "viem";

export interface ChainIdentity {
  readonly chainId: number;
  readonly genesisHash: Hex;
  readonly market: Address;
  readonly deploymentBlock: bigint;
  readonly deploymentBlockHash: Hex;
}

/** What the chain reads the binding needs. */
export interface BoundChain {
  identity(): Promise<ChainIdentity>;
  /** The hash of block `number`, or undefined when the chain has no such block. */
  blockHash(number: bigint): Promise<Hex | undefined>;
}

/** The data directory belongs to another chain than the one the RPC serves. */
export class ChainMismatchError extends Error {
  override readonly name = "ChainMismatchError";
}

interface BindingRow {
  chain_id: number;
  genesis_hash: string;
  market: string;
  deployment_block: string;
  deployment_block_hash: string;
  checkpoint_block: string | null;
  checkpoint_hash: string | null;
}

export class ChainBinding {
  readonly #db: DatabaseSync;
  readonly #dataDir: string;

  constructor(db: DatabaseSync, dataDir: string) {
    this.#db = db;
    this.#dataDir = dataDir;
  }

  /** Records the chain as the directory's on first use; afterwards throws {ChainMismatchError} unless it is the same. */
  async bind(chain: BoundChain, now = Date.now()): Promise<void> {
    const identity = await chain.identity();
    const row = this.#db.prepare("SELECT * FROM chain_binding WHERE id = 1").get() as BindingRow | undefined;
    if (!row) {
      this.#db
        .prepare("INSERT INTO chain_binding (id, chain_id, genesis_hash, market, deployment_block, deployment_block_hash, bound_at) VALUES (1, ?, ?, ?, ?, ?, ?)")
        .run(identity.chainId, identity.genesisHash.toLowerCase(), identity.market.toLowerCase(), identity.deploymentBlock.toString(), identity.deploymentBlockHash.toLowerCase(), now);
      return;
    }
    const differences: string[] = [];
    const differ = (what: string, was: string, is: string) => {
      if (was.toLowerCase() !== is.toLowerCase()) differences.push(`${what} was ${was}, is ${is}`);
    };
    differ("chain id", String(row.chain_id), String(identity.chainId));
    differ("genesis block", row.genesis_hash, identity.genesisHash);
    differ("market", row.market, identity.market);
    differ("market deployment block", row.deployment_block, identity.deploymentBlock.toString());
    differ(`block ${row.deployment_block}`, row.deployment_block_hash, identity.deploymentBlockHash);
    if (differences.length === 0 && row.checkpoint_block && row.checkpoint_hash) {
      differ(`block ${row.checkpoint_block}, the last this worker scanned,`, row.checkpoint_hash, (await chain.blockHash(BigInt(row.checkpoint_block))) ?? "missing");
    }
    if (differences.length > 0) {
      throw new ChainMismatchError(
        `the data directory ${this.#dataDir} holds the state of another chain than the RPC serves (${differences.join("; ")}): ` +
          `its jobs, nonces and receipts belong to that chain (was it reset or redeployed?). ` +
          `To serve this chain, start the worker with a new "dataDir" (or delete ${this.#dataDir} once nothing in it is needed)`,
      );
    }
  }

  /** Records the last block the watcher scanned. */
  checkpoint(block: bigint, hash: Hex): void {
    this.#db.prepare("UPDATE chain_binding SET checkpoint_block = ?, checkpoint_hash = ? WHERE id = 1").run(block.toString(), hash.toLowerCase());
  }
}
