/**
 * Given-name equivalence groups for common US given names: each line is one group, a formal name first and then
 * its diminutives, short forms and close spelling variants. Names that belong to several formal names (Chris,
 * Alex, Sam, Pat, Terry, Bert …) sit on several lines, so `Chris` is an alias of both Christopher and Christine
 * while Christopher and Christine stay different people. Spanish hypocorisms (Pepe, Chuy, Lupe, Paco) and the
 * English forms immigrant families often register under (José ~ Joe, Guillermo ~ William) are included because
 * the practices serve those communities. Spelling typos are not listed: the string similarity in the comparisons
 * covers them.
 */
const GROUPS = `
aaron: ron ronnie
abigail: abby abbie gail
abraham: abe bram
adam: ad
adrian: adrien
adriana: adri
agnes: aggie nessa
alan: al allan allen
albert: al bert bertie albie
alberto: beto al
alejandra: ale alex sandra jandra
alejandro: ale alex alejo jandro
alexander: alex al xander zander sandy alec lex
alexandra: alex alexa lexi sandy sandra ally
alexis: alex lexi
alfred: al alf alfie fred freddie
alfredo: fredo al
alice: allie ally
alicia: ali allie licha
allison: allie ally ali
amanda: mandy manda amy
amelia: amy millie mia
andrea: andi drea
andrew: andy drew
angela: angie angel
angelica: angie
anita: ann annie
ann: anne annie nancy nan anna
anna: ann annie
anne: ann annie nancy
anthony: tony ant
antonio: tony toño
arthur: art artie
ashley: ash
audrey: audie
barbara: barb barbie babs
benjamin: ben benny benji
bernard: bernie
beverly: bev
bradley: brad
brandon: bran
brenda: bren
brian: bri
bridget: biddy bridgie
brittany: britt brit britney
bruce: brucie
caleb: cale
calvin: cal
camila: cami millie
carlos: carlitos
carol: carole carrie
caroline: carol carrie caro lina
catherine: cathy cat cate kate katie kathy trina
cecilia: cece ceci
charles: charlie chuck chas chaz chip carl
charlotte: charlie lottie char
cheryl: cher sheryl
christian: chris
christina: chris tina chrissy kristina
christine: chris chrissy tina kristine
christopher: chris kit topher cris
cindy: cynthia
clara: clare
clarence: clare
clifford: cliff
cody: cod
concepcion: concha conchita
connor: con
constance: connie
courtney: court
cynthia: cindy cyndi
daniel: dan danny
daniela: dani
danielle: dani danni ellie
david: dave davey davy
deborah: debbie deb debra
denise: dee
dennis: denny
diana: di diane
diane: di diana
dolores: lola lolita dee
dominic: dom nick
donald: don donnie
donna: donnie
dorothy: dot dottie dolly
douglas: doug
duane: dwayne
dustin: dusty
eduardo: lalo eddie ed edward
edward: ed eddie ned ted teddy
edwin: ed eddie
eleanor: ellie nora elle
elena: ellie lena
elias: eli
elijah: eli lige
elizabeth: liz beth betty betsy liza lizzie libby eliza bess elisa lisa ellie
ella: ellie
ellen: ellie nell
emily: em emmy millie emma
emma: em emmy
enrique: kike quique henry
eric: rick ricky erik
ernest: ernie
esperanza: espe
esther: essie
eugene: gene
evelyn: evie eve
francis: frank frankie fran
frances: fran frannie francie
francisco: paco pancho frank cisco kiko
frank: frankie
franklin: frank
frederick: fred freddie fritz
gabriel: gabe gabby
gabriela: gabby gaby gabi
gabrielle: gabby elle
gary: gar
gene: eugene
geoffrey: geoff jeff
george: georgie jorge
gerald: gerry jerry
geraldine: gerry geri
gerardo: lalo gerry
gilbert: gil bert
gloria: glo
gregory: greg
guadalupe: lupe lupita
guillermo: memo william will
gwendolyn: gwen wendy
harold: hal harry
harriet: hattie
hannah: annie hanna
harrison: harry
heather: heath
helen: nell nellie lena
henry: hank harry hal
herbert: herb bert
howard: howie
ignacio: nacho
isaac: ike zac
isabel: izzy belle bella isa
isabella: izzy bella isa belle
isabelle: izzy bella belle
jackson: jack jax
jacob: jake jay
jacqueline: jackie jacky
james: jim jimmy jamie jem jay
jamie: james jim
jane: jenny janie
janet: jan jenny
janice: jan
jason: jay
javier: javi
jeffrey: jeff jeffery
jennifer: jen jenny jenn jennie
jeremy: jerry jem
jerome: jerry
jerry: gerald jerome jeremiah
jesse: jess
jessica: jess jessie jessi
jesus: chuy chucho
joan: joanie jo
joanne: jo joanie
john: jack johnny jon jonny
jonathan: jon jonny john nathan
jorge: george coque
jose: pepe joe chepe
joseph: joe joey jo
josephine: jo josie
joshua: josh
joyce: joy
juan: juanito johnny
juana: juanita
judith: judy jude
julia: julie jules
julian: jules
julie: jules
justin: justy
katherine: kate kathy katie kat kitty kay cathy
kathleen: kathy kate katie kath
kathryn: kate kathy katie kat
kayla: kay
kelly: kel
kenneth: ken kenny
kevin: kev
kimberly: kim kimmy
kristen: kris kristy kristin
kristina: kris tina
lauren: laurie ren
lawrence: larry laurie
leonard: leo len lenny
leslie: les
lillian: lily lil
lily: lil
linda: lindy lin
lorraine: lori
louis: lou louie
louise: lou
lucas: luke
lucia: lucy
lucille: lucy
luis: lucho
luke: lucas
madeline: maddie maddy madi
madison: maddie maddy madi
manuel: manny manolo
margaret: maggie peggy meg marge margie greta may daisy
maria: mari mary marie
mariana: mari
marie: mari
marilyn: mari lyn
marjorie: marge margie
martha: marty mattie
martin: marty
mary: mari molly polly may mae mamie
matthew: matt matty
maureen: mo
megan: meg
melanie: mel
melissa: mel missy lisa
michael: mike mikey mick mickey
michelle: shelly michele
miguel: mike
mildred: millie
millicent: millie
mitchell: mitch
monica: mona
nancy: ann nan
natalie: nat talia
nathan: nate nat
nathaniel: nate nat nathan
nicholas: nick nicky nico
nicole: nikki nicky nic
norma: normie
oliver: ollie
olivia: liv livvy ollie liv
pamela: pam
patricia: pat patty trish tricia patsy
patrick: pat paddy rick
paul: paulie
peggy: margaret
peter: pete
philip: phil pip
phillip: phil
priscilla: cilla prissy
rachel: rae
ralph: rafe
randall: randy
randolph: randy
raymond: ray
rebecca: becky becca beck
regina: gina reggie
reginald: reggie reg
richard: rick ricky dick rich richie
ricardo: ricky rick
robert: bob bobby rob robbie bert
roberto: beto rob
rodney: rod
roger: rog
ronald: ron ronnie
rosa: rosie
rosario: charo chayo
rose: rosie
rosemary: rosie
russell: russ
ruth: ruthie
samantha: sam sammy
samuel: sam sammy
sandra: sandy
sara: sarah sadie
sarah: sara sadie sally
scott: scotty
sebastian: seb bastian
sharon: shari
shawn: sean
sheila: sheil
shirley: shirl
sofia: sophie sophia
sophia: sophie sofia
stanley: stan
stephanie: steph stephie stevie
stephen: steve stevie
steven: steve stevie
stuart: stu
susan: sue susie suzy
suzanne: sue suzy
tamara: tammy
tammy: tamara
teresa: terry tess tessa terri
theodore: ted teddy theo
theresa: terry tess tessa terri
thomas: tom tommy
timothy: tim timmy
tracy: trace
travis: trav
tyler: ty
valentina: vale tina
valerie: val
vanessa: nessa
veronica: ronnie vero
victor: vic
victoria: vicky tori vic
vincent: vince vinny
virginia: ginny ginger
walter: walt wally
wendy: gwendolyn
william: will bill billy willie liam
winifred: winnie
xavier: xavi
yolanda: yoli
zachary: zach zack
`;

function parseGroups(text: string): Map<string, ReadonlySet<string>> {
  const aliases = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const [formal, rest] = line.split(':');
    if (!formal || rest === undefined) continue;
    const group = [formal.trim(), ...rest.trim().split(/\s+/).filter(Boolean)];
    for (const name of group) {
      const set = aliases.get(name) ?? new Set<string>();
      for (const other of group) if (other !== name) set.add(other);
      aliases.set(name, set);
    }
  }
  return aliases;
}

const ALIASES = parseGroups(GROUPS);

const EMPTY: ReadonlySet<string> = new Set();

/** Every given name the table considers the same person's (not including the name itself). */
export function givenNameAliases(folded: string): ReadonlySet<string> {
  return ALIASES.get(folded) ?? EMPTY;
}

/** Whether two folded given names are diminutive/formal variants of each other according to the curated table. */
export function areGivenNameAliases(a: string, b: string): boolean {
  return a !== b && (ALIASES.get(a)?.has(b) ?? false);
}
