// SPDX-License-Identifier: GPL-3.0
// GENERATED FILE - DO NOT EDIT.
// The Groth16 verifier of the contest circuit ContestLinear(784, 10) of
// circuits/contest_linear_784x10.circom (template circuits/contestLinear.circom; docs/DISPUTES.md
// §5.3), for Linear plans of up to 784 features and 10 classes (mnist-logreg),
// written by scripts/zk/setup.ts from snarkjs's template (contract renamed). Regenerate it with
// `npm run zk:setup -- contest_linear_784x10`; its hash and those of its zkey are in circuits/artifacts/transcript.json.

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

contract ContestLinearVerifier784x10 {
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
    uint256 constant deltax1 = 2137156695339660076140177766980944444685219264634158929972312000877337197480;
    uint256 constant deltax2 = 1221826473766972940655294275956238401755900782739963105179496102585624160462;
    uint256 constant deltay1 = 885399267600391084029072281263909860096777228694766249018097583745043366255;
    uint256 constant deltay2 = 8690611810393997124146001490951484949078225442626224166318798709855210985440;

    
    uint256 constant IC0x = 17419542835423983889945305142504502635973013990793214255860984549506649952989;
    uint256 constant IC0y = 14164579971551006755330906357675047590625485739618136523547279074596939254460;
    
    uint256 constant IC1x = 15746062316017256475072433254691253355442665843639929182865346729106526358611;
    uint256 constant IC1y = 20032292826834141108113310383734600260360160149858976279010806570463038833587;
    
    uint256 constant IC2x = 10811606292804128322239636465176439654278162178734266408591107092805723934510;
    uint256 constant IC2y = 6844076779955302890832989751026643057494449896292418889384733893918453600864;
    
    uint256 constant IC3x = 8137837125195164519710135822833297662663734679897461611277074993709817473360;
    uint256 constant IC3y = 5540188135841569767764808929347681287691620147647967626478160282361350425045;
    
    uint256 constant IC4x = 21780540240083481989246993337421467106070867026634827148757900146070230857200;
    uint256 constant IC4y = 16465881838703598048364801044390702145160102235064034834792033449979828209549;
    
    uint256 constant IC5x = 3379193542427343769829141653312951548900974663394671642284752976334267265032;
    uint256 constant IC5y = 4473495779028840433524838848688047750066560589792950276664808114970497524706;
    
    uint256 constant IC6x = 7864986185269484588134088805400701334302891665173643850469562362288294312472;
    uint256 constant IC6y = 5157177828085305518884290883117377090011279475438994567906051967651637383414;
    
    uint256 constant IC7x = 6309441689479614620112157918247661852012611023971484482126841203895409513076;
    uint256 constant IC7y = 4514760126441754207552156826859564270408045059858926870721981204072766897535;
    
    uint256 constant IC8x = 10707262507696877650655127051961408636857010973787729130084327313314041788830;
    uint256 constant IC8y = 16509263770410883192728878368432782112032016022981036010030519928137842337001;
    
    uint256 constant IC9x = 2491937732706061466930226951847951700628572680074459099490966785176725007945;
    uint256 constant IC9y = 15939723508646916223762885594347861533971649786466829946332054043736966096256;
    
    uint256 constant IC10x = 515671069521278463331695597792311890897970387202309468653694149898629524733;
    uint256 constant IC10y = 12522025453957862542105662175188925041020321751674867477744372937507685004952;
    
    uint256 constant IC11x = 436728959754095309108613433199730374010032515127969300022372675015978352885;
    uint256 constant IC11y = 8907737320396348944586110926739150147111590234228300876916638545411681554584;
    
    uint256 constant IC12x = 866784779860999475380052657764197160036838564618886956240208341758118739334;
    uint256 constant IC12y = 2106595337415413663528410081061034942972263992523096568315741893252316449369;
    
    uint256 constant IC13x = 16531880272839453087482479201368013283819556671595796351759163821482500908067;
    uint256 constant IC13y = 4706665613416608418800035863078480890884788530366482822781874099343775479885;
    
    uint256 constant IC14x = 21674635130148182258253102604759222507190001328783306520676919771266346952634;
    uint256 constant IC14y = 10918764044662365453534480954596196992016800477102800573587744590217609252823;
    
    uint256 constant IC15x = 11957500602133477031012927227563446456514344473781381115082581627140990052700;
    uint256 constant IC15y = 7512069176739606522008188766627800483333882769242136561503941230341118104494;
    
    uint256 constant IC16x = 14205806683719616907433431244323618980085742278254541384249179516525589341380;
    uint256 constant IC16y = 21484282117398929843968310850963169412189429589442610193373908324459392298793;
    
    uint256 constant IC17x = 15657834632176190236962601784286515707693213617575509765981376847672634689826;
    uint256 constant IC17y = 946732346638419851072583126109027137153326599005679334312879097900810105918;
    
    uint256 constant IC18x = 3509003032866664870515847874745127629497600497097961465420754089622352614138;
    uint256 constant IC18y = 19943946060431067286595856714059708919820879189039671887965872462599754713385;
    
    uint256 constant IC19x = 413795928137623723657625754138959133728259088692060954592320137269725837836;
    uint256 constant IC19y = 16691986685906523102591518680154987410840075605018891834381284376721742676593;
    
    uint256 constant IC20x = 13259341778250670597494816701961073598872363990494620528373822154791853119438;
    uint256 constant IC20y = 1041316931846756987252895905838258424024385315525106075715551568527525907770;
    
    uint256 constant IC21x = 19954922017863650075656004987302528354718815515333452623920595176297267243416;
    uint256 constant IC21y = 4822696740341034949830677311949480670448324346853652496343768152431564802497;
    
    uint256 constant IC22x = 4559140694903402933052372077860124021978366401424709313618280532227415659394;
    uint256 constant IC22y = 19336839799203094075246140874018251880590223675352835670519164882718321065163;
    
    uint256 constant IC23x = 19748440547000014498958996025163621348628650273849534132642728470553161255275;
    uint256 constant IC23y = 19927039510211380924401956942801898861975237000152374263103467435529139662252;
    
    uint256 constant IC24x = 11307922990749648664355645694108686929546046243084398339308630944337899936304;
    uint256 constant IC24y = 19654606549801678461941888542852390313908704036416030920656396390641024210093;
    
    uint256 constant IC25x = 19759561790363827395429840334158439073295371678445432769641959415774027604906;
    uint256 constant IC25y = 12555489015661811184964676147733993480019422192815194872629835420749611910827;
    
    uint256 constant IC26x = 1857236547932370156212760423028178856100615531613258637671078141216741179799;
    uint256 constant IC26y = 5684311284994172920927862297186989939123635705772882876295624252508352339319;
    
    uint256 constant IC27x = 1265768579132865434841676980736810087795456058629094059008374544008387053622;
    uint256 constant IC27y = 1536143946293062955098416774689831771919643130493014921320016874708076624310;
    
    uint256 constant IC28x = 6562577932522996890455901837744791925410929690149355362088167677871630283195;
    uint256 constant IC28y = 11186295566719217188019942917345018709863887151165749572647355009668495386345;
    
    uint256 constant IC29x = 13959538166064851125950339164776453675197491657310066912173411671352946334872;
    uint256 constant IC29y = 16333340861851153778111411107110724735682660571638453050810012733566715765587;
    
    uint256 constant IC30x = 14297603947215739680844206900399806395670200042975698690870123810609115850877;
    uint256 constant IC30y = 363447145717320934633555134252858440982365532320425436392693044827352193402;
    
    uint256 constant IC31x = 19545724096151129422013099521348640514935764491480266099849685576310168627350;
    uint256 constant IC31y = 270182320275682886734147379603749113764118918228977080512061270050626838942;
    
    uint256 constant IC32x = 965073895638385271857040055506628172173460179509666359392570529670147371571;
    uint256 constant IC32y = 12441330702366258210835971673944548236259466347062611536041387340803278299970;
    
    uint256 constant IC33x = 12751789976656563477576520176140381764560477499826037933510116537714267992269;
    uint256 constant IC33y = 16927617815064229762633225139293042444394297130236630285802679176343452164484;
    
    uint256 constant IC34x = 3947351746477692435171828076015801540139717752829385213797153804310367568322;
    uint256 constant IC34y = 19972529165608285656687991556337486967587161438393819512049805498444369148287;
    
    uint256 constant IC35x = 16011685761207520490307725900234425648992140565928915813364261879935505302739;
    uint256 constant IC35y = 4010542634353356586540846349864435298529303406799725815973528897402847305043;
    
    uint256 constant IC36x = 17584920798124341214923682589073165564604772163174034299310335465441211716199;
    uint256 constant IC36y = 19685141274930567409492686511980301214031301938570830587200004650049976364390;
    
    uint256 constant IC37x = 9606513860980381586598250498317435557099967859168805574185313313609408771149;
    uint256 constant IC37y = 10498446317377603186084669910590435734423618231388974077993899586671393042299;
    
    uint256 constant IC38x = 181417056381188762554081282219776398770605863774733391146684696697553229870;
    uint256 constant IC38y = 11039482273328615011089744190201010792397818549148423337738471015306975135824;
    
    uint256 constant IC39x = 17626082117182244989462803740102385953834274618264053350013700849196993682877;
    uint256 constant IC39y = 4689294949984693111638738879193134849476817980130377733572545552517047789157;
    
    uint256 constant IC40x = 18136685557041482122729747486593619806987219170309397190281850423123460998688;
    uint256 constant IC40y = 6815434745830811472984004645118378507679628793854261227215018025838104319392;
    
    uint256 constant IC41x = 575254282613375021515575660909338623963009068660875562306898982022850801123;
    uint256 constant IC41y = 20348444976783000127007912541620493166280973272042002093646506208340913394377;
    
    uint256 constant IC42x = 13827954355460046766633264503646369300179273604705447286291525700684496939934;
    uint256 constant IC42y = 7899154218368208779888323693283122923318253143736648911228564252531192438234;
    
    uint256 constant IC43x = 2832430359526601398972743534953033988813238411119823919108279564390390762953;
    uint256 constant IC43y = 3192972779149382859205284784086197521313395078801432760986529111151115310091;
    
    uint256 constant IC44x = 15490676157317213979655472543879735232055107164724598957744204915211033613286;
    uint256 constant IC44y = 1133805545950185360837143859504103318376155201570408982018920145630544502349;
    
    uint256 constant IC45x = 6495738559046278401031335354053692783741481027446814008829949777364488523769;
    uint256 constant IC45y = 15932537674391133201476460292506298771290732797224289377310642117767237850115;
    
    uint256 constant IC46x = 5933459502427023743676190318002951602930866134857915209214298660079964429271;
    uint256 constant IC46y = 3227502884383165794764063882387682101855167300999907501526285478774978547350;
    
    uint256 constant IC47x = 2740551274714914304006986151072116726616664932243686047759996642988626360490;
    uint256 constant IC47y = 12488907553230056927225916089756423720731225279864095658903944761149390578565;
    
    uint256 constant IC48x = 3192396834759410629302192119136439238993080786612385634849534139610807569065;
    uint256 constant IC48y = 3743979008818395048269660506916665028767845036714597099338122278521879232405;
    
    uint256 constant IC49x = 10601441029635405892494042344204253499396495246833091235031251296389637007202;
    uint256 constant IC49y = 15078069225662749925061926719528092544048610241027999302068899744529115196046;
    
    uint256 constant IC50x = 2916489118226872469977138460444410429228152691634442258423772397237001585121;
    uint256 constant IC50y = 8893717102018641462420474952631591845258291888886965764014108469036001218834;
    
    uint256 constant IC51x = 16345053579918222642496915869846947331776699896492600223242996167556726091203;
    uint256 constant IC51y = 726651697800719181770275214138434235277023283026187257154578054515106029319;
    
    uint256 constant IC52x = 9573993130159485730556636999495928433732881334334045552981647334059374072373;
    uint256 constant IC52y = 5159002324734813001961790501519462118690892601806682826354700731568186697214;
    
    uint256 constant IC53x = 1538494325487229361643839075229950994061022661331823657927758513161776073879;
    uint256 constant IC53y = 12151779366711415344673765614834581541073470332927072621055740747357194960476;
    
    uint256 constant IC54x = 5237207854974181407930628932870195451614833673259505557274088480685509033074;
    uint256 constant IC54y = 642651804018087087529716056841282422235273942558298990270201923816070653831;
    
    uint256 constant IC55x = 18391366071527808112455325192652320390632923569097582465897757506784784138684;
    uint256 constant IC55y = 1007778438616451258088538712307371112853684987917133214305713012799218295860;
    
    uint256 constant IC56x = 10358903139329150164288321219553379288112041812179138680130733193225651995243;
    uint256 constant IC56y = 4771297378449068712695984221497960980921495355751632455434085863251021128863;
    
    uint256 constant IC57x = 13494242435776083034081887373523345179113699784972807490298229119759148672285;
    uint256 constant IC57y = 8419181297876948700694201365230530814914140038487169343876602372137915405020;
    
    uint256 constant IC58x = 9126053743606900440931006267252520471153453484951407718121823419659119840158;
    uint256 constant IC58y = 2318157523354916397752737944743396296856055596951823713055081410107631643044;
    
    uint256 constant IC59x = 2748172593084186547510974287534438185686526090112088971712129406065676652096;
    uint256 constant IC59y = 804858911158136502539685776037462041553627630895769018272531378202496726842;
    
    uint256 constant IC60x = 12222965667629880414386551402923717923569735496455527263045869256947451430877;
    uint256 constant IC60y = 6080272548284452102640812236296458410712645569011539321758992916993152357055;
    
    uint256 constant IC61x = 321269239019238320371347145813329099937760907198923242393599945609676792866;
    uint256 constant IC61y = 2357580249927754786109118898217836183140749851105299062934194695608670855474;
    
    uint256 constant IC62x = 9053498750743665149501575302691838964812190538755710191259802163183214685543;
    uint256 constant IC62y = 7047052049158976839709346828461022276624476158020400269154448654799770377796;
    
    uint256 constant IC63x = 18740832483893866591431574600055857792431008858775747763531021151059536089870;
    uint256 constant IC63y = 7216394288174030670621499612364974027909067718774689921018072287036371392988;
    
    uint256 constant IC64x = 18848486158544809397135877906438068705144296688771536583716066840331294901805;
    uint256 constant IC64y = 16007768168389481178109340877495808088455622816352506769755309133967490538560;
    
    uint256 constant IC65x = 8138061580909981258492942013806685122966077447563327784405122804768600684912;
    uint256 constant IC65y = 9669744600655718704089124524277630325493406398199185412171521943664347121402;
    
    uint256 constant IC66x = 11807660292049654535370577045891552097705810735618907718006967217176213091261;
    uint256 constant IC66y = 10134044397913615388985525091515307673884914263040511478395002877981630418396;
    
    uint256 constant IC67x = 12164086520132109987135108163686314368643451926595149326095160662459889417085;
    uint256 constant IC67y = 11982989840189932869386862441553342775397937061617953701593498680111941442757;
    
 
    // Memory data
    uint16 constant pVk = 0;
    uint16 constant pPairing = 128;

    uint16 constant pLastMem = 896;

    function verifyProof(uint[2] calldata _pA, uint[2][2] calldata _pB, uint[2] calldata _pC, uint[67] calldata _pubSignals) public view returns (bool) {
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
                
                g1_mulAccC(_pVk, IC16x, IC16y, calldataload(add(pubSignals, 480)))
                
                g1_mulAccC(_pVk, IC17x, IC17y, calldataload(add(pubSignals, 512)))
                
                g1_mulAccC(_pVk, IC18x, IC18y, calldataload(add(pubSignals, 544)))
                
                g1_mulAccC(_pVk, IC19x, IC19y, calldataload(add(pubSignals, 576)))
                
                g1_mulAccC(_pVk, IC20x, IC20y, calldataload(add(pubSignals, 608)))
                
                g1_mulAccC(_pVk, IC21x, IC21y, calldataload(add(pubSignals, 640)))
                
                g1_mulAccC(_pVk, IC22x, IC22y, calldataload(add(pubSignals, 672)))
                
                g1_mulAccC(_pVk, IC23x, IC23y, calldataload(add(pubSignals, 704)))
                
                g1_mulAccC(_pVk, IC24x, IC24y, calldataload(add(pubSignals, 736)))
                
                g1_mulAccC(_pVk, IC25x, IC25y, calldataload(add(pubSignals, 768)))
                
                g1_mulAccC(_pVk, IC26x, IC26y, calldataload(add(pubSignals, 800)))
                
                g1_mulAccC(_pVk, IC27x, IC27y, calldataload(add(pubSignals, 832)))
                
                g1_mulAccC(_pVk, IC28x, IC28y, calldataload(add(pubSignals, 864)))
                
                g1_mulAccC(_pVk, IC29x, IC29y, calldataload(add(pubSignals, 896)))
                
                g1_mulAccC(_pVk, IC30x, IC30y, calldataload(add(pubSignals, 928)))
                
                g1_mulAccC(_pVk, IC31x, IC31y, calldataload(add(pubSignals, 960)))
                
                g1_mulAccC(_pVk, IC32x, IC32y, calldataload(add(pubSignals, 992)))
                
                g1_mulAccC(_pVk, IC33x, IC33y, calldataload(add(pubSignals, 1024)))
                
                g1_mulAccC(_pVk, IC34x, IC34y, calldataload(add(pubSignals, 1056)))
                
                g1_mulAccC(_pVk, IC35x, IC35y, calldataload(add(pubSignals, 1088)))
                
                g1_mulAccC(_pVk, IC36x, IC36y, calldataload(add(pubSignals, 1120)))
                
                g1_mulAccC(_pVk, IC37x, IC37y, calldataload(add(pubSignals, 1152)))
                
                g1_mulAccC(_pVk, IC38x, IC38y, calldataload(add(pubSignals, 1184)))
                
                g1_mulAccC(_pVk, IC39x, IC39y, calldataload(add(pubSignals, 1216)))
                
                g1_mulAccC(_pVk, IC40x, IC40y, calldataload(add(pubSignals, 1248)))
                
                g1_mulAccC(_pVk, IC41x, IC41y, calldataload(add(pubSignals, 1280)))
                
                g1_mulAccC(_pVk, IC42x, IC42y, calldataload(add(pubSignals, 1312)))
                
                g1_mulAccC(_pVk, IC43x, IC43y, calldataload(add(pubSignals, 1344)))
                
                g1_mulAccC(_pVk, IC44x, IC44y, calldataload(add(pubSignals, 1376)))
                
                g1_mulAccC(_pVk, IC45x, IC45y, calldataload(add(pubSignals, 1408)))
                
                g1_mulAccC(_pVk, IC46x, IC46y, calldataload(add(pubSignals, 1440)))
                
                g1_mulAccC(_pVk, IC47x, IC47y, calldataload(add(pubSignals, 1472)))
                
                g1_mulAccC(_pVk, IC48x, IC48y, calldataload(add(pubSignals, 1504)))
                
                g1_mulAccC(_pVk, IC49x, IC49y, calldataload(add(pubSignals, 1536)))
                
                g1_mulAccC(_pVk, IC50x, IC50y, calldataload(add(pubSignals, 1568)))
                
                g1_mulAccC(_pVk, IC51x, IC51y, calldataload(add(pubSignals, 1600)))
                
                g1_mulAccC(_pVk, IC52x, IC52y, calldataload(add(pubSignals, 1632)))
                
                g1_mulAccC(_pVk, IC53x, IC53y, calldataload(add(pubSignals, 1664)))
                
                g1_mulAccC(_pVk, IC54x, IC54y, calldataload(add(pubSignals, 1696)))
                
                g1_mulAccC(_pVk, IC55x, IC55y, calldataload(add(pubSignals, 1728)))
                
                g1_mulAccC(_pVk, IC56x, IC56y, calldataload(add(pubSignals, 1760)))
                
                g1_mulAccC(_pVk, IC57x, IC57y, calldataload(add(pubSignals, 1792)))
                
                g1_mulAccC(_pVk, IC58x, IC58y, calldataload(add(pubSignals, 1824)))
                
                g1_mulAccC(_pVk, IC59x, IC59y, calldataload(add(pubSignals, 1856)))
                
                g1_mulAccC(_pVk, IC60x, IC60y, calldataload(add(pubSignals, 1888)))
                
                g1_mulAccC(_pVk, IC61x, IC61y, calldataload(add(pubSignals, 1920)))
                
                g1_mulAccC(_pVk, IC62x, IC62y, calldataload(add(pubSignals, 1952)))
                
                g1_mulAccC(_pVk, IC63x, IC63y, calldataload(add(pubSignals, 1984)))
                
                g1_mulAccC(_pVk, IC64x, IC64y, calldataload(add(pubSignals, 2016)))
                
                g1_mulAccC(_pVk, IC65x, IC65y, calldataload(add(pubSignals, 2048)))
                
                g1_mulAccC(_pVk, IC66x, IC66y, calldataload(add(pubSignals, 2080)))
                
                g1_mulAccC(_pVk, IC67x, IC67y, calldataload(add(pubSignals, 2112)))
                

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
            
            checkField(calldataload(add(_pubSignals, 480)))
            
            checkField(calldataload(add(_pubSignals, 512)))
            
            checkField(calldataload(add(_pubSignals, 544)))
            
            checkField(calldataload(add(_pubSignals, 576)))
            
            checkField(calldataload(add(_pubSignals, 608)))
            
            checkField(calldataload(add(_pubSignals, 640)))
            
            checkField(calldataload(add(_pubSignals, 672)))
            
            checkField(calldataload(add(_pubSignals, 704)))
            
            checkField(calldataload(add(_pubSignals, 736)))
            
            checkField(calldataload(add(_pubSignals, 768)))
            
            checkField(calldataload(add(_pubSignals, 800)))
            
            checkField(calldataload(add(_pubSignals, 832)))
            
            checkField(calldataload(add(_pubSignals, 864)))
            
            checkField(calldataload(add(_pubSignals, 896)))
            
            checkField(calldataload(add(_pubSignals, 928)))
            
            checkField(calldataload(add(_pubSignals, 960)))
            
            checkField(calldataload(add(_pubSignals, 992)))
            
            checkField(calldataload(add(_pubSignals, 1024)))
            
            checkField(calldataload(add(_pubSignals, 1056)))
            
            checkField(calldataload(add(_pubSignals, 1088)))
            
            checkField(calldataload(add(_pubSignals, 1120)))
            
            checkField(calldataload(add(_pubSignals, 1152)))
            
            checkField(calldataload(add(_pubSignals, 1184)))
            
            checkField(calldataload(add(_pubSignals, 1216)))
            
            checkField(calldataload(add(_pubSignals, 1248)))
            
            checkField(calldataload(add(_pubSignals, 1280)))
            
            checkField(calldataload(add(_pubSignals, 1312)))
            
            checkField(calldataload(add(_pubSignals, 1344)))
            
            checkField(calldataload(add(_pubSignals, 1376)))
            
            checkField(calldataload(add(_pubSignals, 1408)))
            
            checkField(calldataload(add(_pubSignals, 1440)))
            
            checkField(calldataload(add(_pubSignals, 1472)))
            
            checkField(calldataload(add(_pubSignals, 1504)))
            
            checkField(calldataload(add(_pubSignals, 1536)))
            
            checkField(calldataload(add(_pubSignals, 1568)))
            
            checkField(calldataload(add(_pubSignals, 1600)))
            
            checkField(calldataload(add(_pubSignals, 1632)))
            
            checkField(calldataload(add(_pubSignals, 1664)))
            
            checkField(calldataload(add(_pubSignals, 1696)))
            
            checkField(calldataload(add(_pubSignals, 1728)))
            
            checkField(calldataload(add(_pubSignals, 1760)))
            
            checkField(calldataload(add(_pubSignals, 1792)))
            
            checkField(calldataload(add(_pubSignals, 1824)))
            
            checkField(calldataload(add(_pubSignals, 1856)))
            
            checkField(calldataload(add(_pubSignals, 1888)))
            
            checkField(calldataload(add(_pubSignals, 1920)))
            
            checkField(calldataload(add(_pubSignals, 1952)))
            
            checkField(calldataload(add(_pubSignals, 1984)))
            
            checkField(calldataload(add(_pubSignals, 2016)))
            
            checkField(calldataload(add(_pubSignals, 2048)))
            
            checkField(calldataload(add(_pubSignals, 2080)))
            
            checkField(calldataload(add(_pubSignals, 2112)))
            

            // Validate all evaluations
            let isValid := checkPairing(_pA, _pB, _pC, _pubSignals, pMem)

            mstore(0, isValid)
             return(0, 0x20)
         }
     }
 }
