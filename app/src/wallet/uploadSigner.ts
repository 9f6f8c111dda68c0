/**
 * The connected wallet as the SDK's UploadSigner: the worker's upload authorization (EIP-712,
 * sdk/src/worker/uploadAuthorization.ts) signed by `eth_signTypedData_v4` through wagmi, so a
 * browser wallet signs it as the test-drive's buyer.
 */
import type { Address } from "viem";
import type { Config } from "wagmi";
import { signTypedData } from "wagmi/actions";
import type { UploadSigner } from "@modelbazaar/sdk/worker";

export function walletUploadSigner(config: Config, account: Address): UploadSigner {
  const sign = (typedData: object) => signTypedData(config, { ...typedData, account } as Parameters<typeof signTypedData>[1]);
  return { signTypedData: sign as UploadSigner["signTypedData"] };
}
