// SPDX-License-Identifier: GPL-3.0
// GENERATED FILE - DO NOT EDIT.
// The Groth16 verifier of the v2 Open circuit Open(1024, 16), the buyer's opening of 16 of up to
// 1024 samples (circuits/open.circom; docs/DISPUTES.md §5.2),
// written by scripts/zk/setup.ts from snarkjs's template (contract renamed). Regenerate it with
// `npm run zk:setup -- open_1024`; its hash and those of its zkey are in circuits/artifacts/transcript.json.

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

contract OpenVerifier1024 {
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
    uint256 constant deltax1 = 13026720591999133565168714370594860965212518649332309160761598972260565869355;
    uint256 constant deltax2 = 3489968105704693916924924909118474718722037589937918124744564711196703058554;
    uint256 constant deltay1 = 5780258805146145316311056537962086624077191534796282555841967623479968908716;
    uint256 constant deltay2 = 10723505951927175549981737616479421765478051397668633375994628414248847347112;

    
    uint256 constant IC0x = 17413530577085895532624543914861944572493051408097014212725594436028144178787;
    uint256 constant IC0y = 16806394790121239194407854691213637084856637100590680607572608189462689409284;
    
    uint256 constant IC1x = 12537659463844627678107041698033515316936355304302011255386672848867212977005;
    uint256 constant IC1y = 2948176761973725868774606613662751070738114775121335896646952420143343423725;
    
    uint256 constant IC2x = 8446038889181467995436841327291211944201994864957469479350732575083163084824;
    uint256 constant IC2y = 12012255865909195857494327167272240467770383108657298379066243705804733142037;
    
    uint256 constant IC3x = 10918423502786240825639090753509586109899347870932372654064157198008548940342;
    uint256 constant IC3y = 6643588062434220042458298652193444593553521986627546260472784257696615481543;
    
    uint256 constant IC4x = 21029559808071941235758349704175353875731697849210132208896176164306985097446;
    uint256 constant IC4y = 19590075250213847762637587534484900418196218709045738671427158601318130813372;
    
    uint256 constant IC5x = 4321617495862074397162144036790726830257109955391445636489087344386843991622;
    uint256 constant IC5y = 17474498337050530261380853875078366962731869711202892969775640838550118122153;
    
    uint256 constant IC6x = 11085542746817379629850462579610147870443738822690754763329169401240608987;
    uint256 constant IC6y = 5921689277788298715041638938553677724423464488971578362943703446149118667003;
    
    uint256 constant IC7x = 11697019151273988845526859022366872140497896511083644590605970770886532540640;
    uint256 constant IC7y = 5628299175938076388893488901619057787218524177993956055478260630118768312055;
    
    uint256 constant IC8x = 13916248566804899674990422798590103862804612169664224612409152583608904522568;
    uint256 constant IC8y = 21743223150745476510012337044876551677489938683327384249998610580205924965915;
    
    uint256 constant IC9x = 2444582423098765791541301922216573994961934737872251743353176812098546021787;
    uint256 constant IC9y = 11323616649686791315246145445498384751131579198636388514414440611901384400905;
    
 
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
