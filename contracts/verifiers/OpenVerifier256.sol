// SPDX-License-Identifier: GPL-3.0
// GENERATED FILE - DO NOT EDIT.
// The Groth16 verifier of the v2 Open circuit Open(256, 16), the buyer's opening of 16 of up to 256
// samples (circuits/open.circom; docs/DISPUTES.md §5.2),
// written by scripts/zk/setup.ts from snarkjs's template (contract renamed). Regenerate it with
// `npm run zk:setup -- open_256`; its hash and those of its zkey are in circuits/artifacts/transcript.json.

/*
    Copyright 2021 0KIMS association.

    This file is generated with [snarkJS](https://github.com/iden3/snarkjs).

    snarkJS is a free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by
    the Free Software Foundation, either version 3 of the License, or
    (at your option) any later version.

    snarkJS is distributed in the hope that it will be useful, but WITHOUT
    ANY WARRANTY; without even the implied warranty of MERCHANTABILITY
    or FITNESS FOR A PARTICULAR PURPOSE. See the GNU General Public
    License for more details.

    You should have received a copy of the GNU General Public License
    along with snarkJS. If not, see <https://www.gnu.org/licenses/>.
*/

pragma solidity >=0.7.0 <0.9.0;

contract OpenVerifier256 {
    // Scalar field size
    uint256 constant r    = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    // Base field size
    uint256 constant q   = 21888242871839275222246405745257275088696311157297823662689037894645226208583;

    // Verification Key data
    uint256 constant alphax  = 9187765996024422171517801924375390081052587056815465042041835781563590815775;
    uint256 constant alphay  = 18030447245557433774500465544545373532016437771118721480173729869813840214261;
    uint256 constant betax1  = 5073799510510875102306957941343211883860256007172986441911354881846151777781;
    uint256 constant betax2  = 16052103181246560294921281450902035676741121145697391613517106592708624929074;
    uint256 constant betay1  = 18827002671391377753020386868730615962931859039620889534362582935645948163930;
    uint256 constant betay2  = 12013847384468438103265784013618767168821377602931480839812368508067271489334;
    uint256 constant gammax1 = 11559732032986387107991004021392285783925812861821192530917403151452391805634;
    uint256 constant gammax2 = 10857046999023057135944570762232829481370756359578518086990519993285655852781;
    uint256 constant gammay1 = 4082367875863433681332203403145435568316851327593401208105741076214120093531;
    uint256 constant gammay2 = 8495653923123431417604973247489272438418190587263600148770280649306958101930;
    uint256 constant deltax1 = 20366665324343090523604612525342615841703694324039319497863795932941070541201;
    uint256 constant deltax2 = 11712837840489338217210672904304556265777775112752098935432668530268066154775;
    uint256 constant deltay1 = 298509745442380999932346657596095299958468839077444954333367719970388004436;
    uint256 constant deltay2 = 4859328033420982685530486446101600847824582607794948246253564407294482651800;

    
    uint256 constant IC0x = 12796448511852944752725472244645377188624244687746041944774267178311226432069;
    uint256 constant IC0y = 12449680617387616665133403990047593164005673059069109283134638438552943059363;
    
    uint256 constant IC1x = 18704001542931987337552420352444388292610545469879454807937051237910835440107;
    uint256 constant IC1y = 12329402894365189954195212474380902507416082923697624430663567720455361289682;
    
    uint256 constant IC2x = 10220768740981154047598262541117807106474979077961187625960268329413209573399;
    uint256 constant IC2y = 14234707076487282406401081201644215994227953810799968650679217276526580575783;
    
    uint256 constant IC3x = 10211669761109378892203772063653843276926176808270113189955070329473307224129;
    uint256 constant IC3y = 16830994086782448887115327136821928168285878278754955007829527186873018684414;
    
    uint256 constant IC4x = 18921407625926883468612426673963395885461554899022523840528265526726490141008;
    uint256 constant IC4y = 9793015233560087974836733453014630173866325065570549563787228921803026952598;
    
    uint256 constant IC5x = 21773054198207895463828550566617630075767301256569499134247561043784138199865;
    uint256 constant IC5y = 15744747701691093802163603578922548622515890590511248696112875051654606610218;
    
    uint256 constant IC6x = 2872976238486029429491529050040499205174180463800283851507824810046377277166;
    uint256 constant IC6y = 17607403344348274025767558075685954010268585526770656514210235306886591511518;
    
    uint256 constant IC7x = 15849055576832789268929560060224181616147824697154649849659046357428868985882;
    uint256 constant IC7y = 5283782552004058459893859315362356442593281879373770698857038335931939196505;
    
    uint256 constant IC8x = 20451310239643293869740234009147889535308770361016218421891751905349943498734;
    uint256 constant IC8y = 9184785664623788773079406453051329407960360025230816601537757647659023643841;
    
    uint256 constant IC9x = 2721620521103718209710997975438000985564502615607859107404347140440281897080;
    uint256 constant IC9y = 542594679199877992155913709913442814274267345029979655440478141796069443182;
    
 
    // Memory data
    uint16 constant pVk = 0;
    uint16 constant pPairing = 128;

    uint16 constant pLastMem = 896;

    function verifyProof(uint[2] calldata _pA, uint[2][2] calldata _pB, uint[2] calldata _pC, uint[9] calldata _pubSignals) public view returns (bool) {
        assembly {
            function checkField(v) {
                if iszero(lt(v, r)) {
                    mstore(0, 0)
                    return(0, 0x20)
                }
            }
            
            // G1 function to multiply a G1 value(x,y) to value in an address
            function g1_mulAccC(pR, x, y, s) {
                let success
                let mIn := mload(0x40)
                mstore(mIn, x)
                mstore(add(mIn, 32), y)
                mstore(add(mIn, 64), s)

                success := staticcall(sub(gas(), 2000), 7, mIn, 96, mIn, 64)

                if iszero(success) {
                    mstore(0, 0)
                    return(0, 0x20)
                }

                mstore(add(mIn, 64), mload(pR))
                mstore(add(mIn, 96), mload(add(pR, 32)))

                success := staticcall(sub(gas(), 2000), 6, mIn, 128, pR, 64)

                if iszero(success) {
                    mstore(0, 0)
                    return(0, 0x20)
                }
            }

            function checkPairing(pA, pB, pC, pubSignals, pMem) -> isOk {
                let _pPairing := add(pMem, pPairing)
                let _pVk := add(pMem, pVk)

                mstore(_pVk, IC0x)
                mstore(add(_pVk, 32), IC0y)

                // Compute the linear combination vk_x
                
                g1_mulAccC(_pVk, IC1x, IC1y, calldataload(add(pubSignals, 0)))
                
                g1_mulAccC(_pVk, IC2x, IC2y, calldataload(add(pubSignals, 32)))
                
                g1_mulAccC(_pVk, IC3x, IC3y, calldataload(add(pubSignals, 64)))
                
                g1_mulAccC(_pVk, IC4x, IC4y, calldataload(add(pubSignals, 96)))
                
                g1_mulAccC(_pVk, IC5x, IC5y, calldataload(add(pubSignals, 128)))
                
                g1_mulAccC(_pVk, IC6x, IC6y, calldataload(add(pubSignals, 160)))
                
                g1_mulAccC(_pVk, IC7x, IC7y, calldataload(add(pubSignals, 192)))
                
                g1_mulAccC(_pVk, IC8x, IC8y, calldataload(add(pubSignals, 224)))
                
                g1_mulAccC(_pVk, IC9x, IC9y, calldataload(add(pubSignals, 256)))
                

                // -A
                mstore(_pPairing, calldataload(pA))
                mstore(add(_pPairing, 32), mod(sub(q, calldataload(add(pA, 32))), q))

                // B
                mstore(add(_pPairing, 64), calldataload(pB))
                mstore(add(_pPairing, 96), calldataload(add(pB, 32)))
                mstore(add(_pPairing, 128), calldataload(add(pB, 64)))
                mstore(add(_pPairing, 160), calldataload(add(pB, 96)))

                // alpha1
                mstore(add(_pPairing, 192), alphax)
                mstore(add(_pPairing, 224), alphay)

                // beta2
                mstore(add(_pPairing, 256), betax1)
                mstore(add(_pPairing, 288), betax2)
                mstore(add(_pPairing, 320), betay1)
                mstore(add(_pPairing, 352), betay2)

                // vk_x
                mstore(add(_pPairing, 384), mload(add(pMem, pVk)))
                mstore(add(_pPairing, 416), mload(add(pMem, add(pVk, 32))))


                // gamma2
                mstore(add(_pPairing, 448), gammax1)
                mstore(add(_pPairing, 480), gammax2)
                mstore(add(_pPairing, 512), gammay1)
                mstore(add(_pPairing, 544), gammay2)

                // C
                mstore(add(_pPairing, 576), calldataload(pC))
                mstore(add(_pPairing, 608), calldataload(add(pC, 32)))

                // delta2
                mstore(add(_pPairing, 640), deltax1)
                mstore(add(_pPairing, 672), deltax2)
                mstore(add(_pPairing, 704), deltay1)
                mstore(add(_pPairing, 736), deltay2)


                let success := staticcall(sub(gas(), 2000), 8, _pPairing, 768, _pPairing, 0x20)

                isOk := and(success, mload(_pPairing))
            }

            let pMem := mload(0x40)
            mstore(0x40, add(pMem, pLastMem))

            // Validate that all evaluations ∈ F
            
            checkField(calldataload(add(_pubSignals, 0)))
            
            checkField(calldataload(add(_pubSignals, 32)))
            
            checkField(calldataload(add(_pubSignals, 64)))
            
            checkField(calldataload(add(_pubSignals, 96)))
            
            checkField(calldataload(add(_pubSignals, 128)))
            
            checkField(calldataload(add(_pubSignals, 160)))
            
            checkField(calldataload(add(_pubSignals, 192)))
            
            checkField(calldataload(add(_pubSignals, 224)))
            
            checkField(calldataload(add(_pubSignals, 256)))
            

            // Validate all evaluations
            let isValid := checkPairing(_pA, _pB, _pC, _pubSignals, pMem)

            mstore(0, isValid)
             return(0, 0x20)
         }
     }
 }
