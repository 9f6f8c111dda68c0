// SPDX-License-Identifier: GPL-3.0
// GENERATED FILE - DO NOT EDIT.
// The Groth16 verifier of the contest circuit ContestLinear(4, 3) of
// circuits/contest_linear_4x3.circom (template circuits/contestLinear.circom; docs/DISPUTES.md
// §5.3), for Linear plans of up to 4 features and 3 classes (iris-logreg),
// written by scripts/zk/setup.ts from snarkjs's template (contract renamed). Regenerate it with
// `npm run zk:setup -- contest_linear_4x3`; its hash and those of its zkey are in circuits/artifacts/transcript.json.

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

contract ContestLinearVerifier4x3 {
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
    uint256 constant deltax1 = 2773907276935172911612992717825844268285487572693005640232766384878860939815;
    uint256 constant deltax2 = 9691548452911353273031983263444138654830852539926683063538506901711672929764;
    uint256 constant deltay1 = 17958091202619580806672789769340409946021635352136121677474598663755238909066;
    uint256 constant deltay2 = 14317408238843696654040391082573987664622399481641317635308603888003131722739;

    
    uint256 constant IC0x = 2129969326996758938331481750155051245342468634263371290701388486560782054661;
    uint256 constant IC0y = 3812884075530685873516382456891207721649119625221805300546110057172991267416;
    
    uint256 constant IC1x = 11558301841979173895431101728225648317481762982526364223534801665293373820623;
    uint256 constant IC1y = 17075389780386799135144515433529619251208096533815342071366909850510835697778;
    
    uint256 constant IC2x = 17491960556290136505719431923324367196575045097804629946732083089551455190767;
    uint256 constant IC2y = 1893874131816277948562791229885500249126726881281798622724898816925005656627;
    
    uint256 constant IC3x = 7307959920468084274502626568522303696996942631503939047138783243492329246766;
    uint256 constant IC3y = 1456705136743650088002050836066001254800172092590549784726123600643392847927;
    
    uint256 constant IC4x = 1816666816177498608308439748397519861322195635177772705743871573669999411176;
    uint256 constant IC4y = 191104148053656389899516479178509868128752318790210407875817861053813034918;
    
    uint256 constant IC5x = 16692684957789308120491113150292842430463333938438483795940507070527677844751;
    uint256 constant IC5y = 11137743995777247489515651581032686025058595035669606895684629311027094838521;
    
    uint256 constant IC6x = 20485205463718769727741413911143802289910031728010425240548242374939452824564;
    uint256 constant IC6y = 6375956771937763627047816069557868637393930779712714650403316621940753102899;
    
    uint256 constant IC7x = 19490593198774355522291949006019965856655386514666697013080825516696274322252;
    uint256 constant IC7y = 5173220623659502973325873321201488695340953387016213791590649081510612533490;
    
    uint256 constant IC8x = 3717975169543592948376317832971380945028788160641168488683683881417546812573;
    uint256 constant IC8y = 15730262611534011239480162332049223856119668772493177065323557854539965718552;
    
    uint256 constant IC9x = 2838831224573667471639117765479451505563586874147801547265985450875852056395;
    uint256 constant IC9y = 21204266476507706897552079766203554579917717949925291223370795999392746560297;
    
    uint256 constant IC10x = 11385864638433616861920792816588555978581940505045620401393553911193765423936;
    uint256 constant IC10y = 1555195841417798936679096317499205390532467237090573177879715482884006816338;
    
    uint256 constant IC11x = 15255222519152504789262587602800300505821590462812949677946851649062742146534;
    uint256 constant IC11y = 19798335468345040130333590959272090750399920963220642440855626475809096333735;
    
    uint256 constant IC12x = 4846670661456715104183003647962973351731882415460761655412453985999225589102;
    uint256 constant IC12y = 6603741758081988530539165304376998324613937673390902475725434903282600048414;
    
    uint256 constant IC13x = 2933400587568625187512966136731012870480411867037677052045935691209992496145;
    uint256 constant IC13y = 20711534659201304609818490544657885093823998385543140031330249657178723147925;
    
    uint256 constant IC14x = 15943936573770639431898848448687690489340486388535725272968944050521668645991;
    uint256 constant IC14y = 9747973896994998280273672294032113192550926510334073065457896178484690421956;
    
    uint256 constant IC15x = 18427845785787169933051457529509364722360220956690962795297245952187858971400;
    uint256 constant IC15y = 3210269136792125697507608014509683577429085291017694865219014449023426691665;
    
 
    // Memory data
    uint16 constant pVk = 0;
    uint16 constant pPairing = 128;

    uint16 constant pLastMem = 896;

    function verifyProof(uint[2] calldata _pA, uint[2][2] calldata _pB, uint[2] calldata _pC, uint[15] calldata _pubSignals) public view returns (bool) {
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
                
                g1_mulAccC(_pVk, IC10x, IC10y, calldataload(add(pubSignals, 288)))
                
                g1_mulAccC(_pVk, IC11x, IC11y, calldataload(add(pubSignals, 320)))
                
                g1_mulAccC(_pVk, IC12x, IC12y, calldataload(add(pubSignals, 352)))
                
                g1_mulAccC(_pVk, IC13x, IC13y, calldataload(add(pubSignals, 384)))
                
                g1_mulAccC(_pVk, IC14x, IC14y, calldataload(add(pubSignals, 416)))
                
                g1_mulAccC(_pVk, IC15x, IC15y, calldataload(add(pubSignals, 448)))
                

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
            
            checkField(calldataload(add(_pubSignals, 288)))
            
            checkField(calldataload(add(_pubSignals, 320)))
            
            checkField(calldataload(add(_pubSignals, 352)))
            
            checkField(calldataload(add(_pubSignals, 384)))
            
            checkField(calldataload(add(_pubSignals, 416)))
            
            checkField(calldataload(add(_pubSignals, 448)))
            

            // Validate all evaluations
            let isValid := checkPairing(_pA, _pB, _pC, _pubSignals, pMem)

            mstore(0, isValid)
             return(0, 0x20)
         }
     }
 }
