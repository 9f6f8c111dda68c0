// SPDX-License-Identifier: GPL-3.0
// GENERATED FILE - DO NOT EDIT.
// The Groth16 verifier of the contest circuit ContestSquareMlp(4, 8, 3) of
// circuits/contest_squaremlp_iris.circom (template circuits/contestSquareMlp.circom;
// docs/DISPUTES.md §5.3), for SquareMlp plans of 4 features, 8 hidden units and up to 3 classes
// (iris-square-mlp),
// written by scripts/zk/setup.ts from snarkjs's template (contract renamed). Regenerate it with
// `npm run zk:setup -- contest_squaremlp_iris`; its hash and those of its zkey are in circuits/artifacts/transcript.json.

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

contract ContestSquareMlpVerifierIris {
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
    uint256 constant deltax1 = 1802580098323060627247959333825875255500279834283435093669461012540059401813;
    uint256 constant deltax2 = 20949863569665955701231616290044019945264098048736100964956637075127399382314;
    uint256 constant deltay1 = 17239192586276244981751487226223889935466523433826057143751609670098952692517;
    uint256 constant deltay2 = 4014781993579566873964427020912782147470196338023550657506312387529791507342;

    
    uint256 constant IC0x = 12548960821766883831548363079679196461516034681469900886599450297467857483316;
    uint256 constant IC0y = 15293939681345220845049818597241052008081954172449096431007220836164221721743;
    
    uint256 constant IC1x = 19866584563301199010871262240172194971978063358492649082414483909745230898446;
    uint256 constant IC1y = 20919717261053149775540659391530353470943935837333986050161673244150723470541;
    
    uint256 constant IC2x = 14061994051061462071789971417472991515940781810144198403738599417123467114595;
    uint256 constant IC2y = 12805086084946508991981746733047474418997858399013058410272811494978258562485;
    
    uint256 constant IC3x = 67646844672356093951388131004305941021815582250828892497185790757054351352;
    uint256 constant IC3y = 21597571220496192377945419382759408195783027576546056594385420152129674491444;
    
    uint256 constant IC4x = 15060789545355430843106580036492866289758264733124258429032648528770985416056;
    uint256 constant IC4y = 3576150266818320110522347253906009162825238741035231278961136742935911173638;
    
    uint256 constant IC5x = 8883390976366405554779075545168498813844637579583762847498533009284786430946;
    uint256 constant IC5y = 17040684406270099313742767216829207615915964215326218990296852466966612061115;
    
    uint256 constant IC6x = 2041476097522156817729294614242580047766373286325344783723459165378447085242;
    uint256 constant IC6y = 6488595395304733666641592459377563721752492835613521871783188044004642777061;
    
    uint256 constant IC7x = 4372277392582930111226008739811697401922803508532360617988845258051841822481;
    uint256 constant IC7y = 8377072307285002840516779470807184535477896429477472275884819270953662506453;
    
    uint256 constant IC8x = 17097171509811279549672218516973687040376919143174312862144596753705026655860;
    uint256 constant IC8y = 8961079846761847408363756410277466777549112514768288471344870659306286828882;
    
    uint256 constant IC9x = 11491031292035227164930520516390230036565206889922126955582438797250011470902;
    uint256 constant IC9y = 16335867048602687334823197960303042480748317010810017523035922135851307374819;
    
    uint256 constant IC10x = 11922196899745937345739666502392158584917031588420586478320181812139901752394;
    uint256 constant IC10y = 5290616156922902239958139403888373687290638804194113424736455385453872298907;
    
    uint256 constant IC11x = 21759543111283544778663513453606591493358678426926780108110768688122753627080;
    uint256 constant IC11y = 14490729327962951870618887962656471323521592650334531693816214479954026626496;
    
    uint256 constant IC12x = 17284261137739227118533703594882975389231892538378014575969250024013987518455;
    uint256 constant IC12y = 2326542702950671013863440411810310036300448811852842010319280790512174180351;
    
    uint256 constant IC13x = 9720776108200625189368283212735036683570380848896417844685290497454206073118;
    uint256 constant IC13y = 5562723389155778990412495901527370950354370274514121469096961129073434706865;
    
    uint256 constant IC14x = 21412058074208640282569768814799127502429694635964784274633189592574529474593;
    uint256 constant IC14y = 6144691518094277406041625540695112485926623996344042329579148157427033643205;
    
    uint256 constant IC15x = 7856117143897488292518969340170649583814007254064319601442688469536307153577;
    uint256 constant IC15y = 5474012099026483239567340428397578571667873832527323991997378476910311148473;
    
 
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
