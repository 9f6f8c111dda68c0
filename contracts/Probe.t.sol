// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;
import {Probe} from "./Probe.sol";
contract ProbeTest { function testFuzz_set(uint256 v) public { Probe p = new Probe(); p.set(v); require(p.x() == v, "x"); } }
