/**
 * The professions of the synthetic population, with their national head counts (scale 1) and how they practise:
 * which registry holds them (RPPS or ex-ADELI), the NOS table and code of the profession, where their
 * practice situations are (FINESS categories, group practices with a SIRET, individual practices), and the
 * shares that hold an MSSanté mailbox or a CPS card. Codes are TRE_G15, or TRE_R95 / TRE_R94 for the
 * professions G15 does not list (ostéopathes, psychothérapeutes, psychologues, assistants de service social).
 */

export type TableName = 'TRE_G15-ProfessionSante' | 'TRE_R95-UsagerTitre' | 'TRE_R94-ProfessionSocial';

/**
 * Where a practice situation is: `F` a FINESS establishment of `category`; `C` a group practice, shop or
 * company with a SIRET (from the profession's practice pool); `R` an individual practice identified by the
 * person's RPPS rang (ADELI rang for ex-ADELI professionals).
 */
export type StructureKind = 'F' | 'C' | 'R';

export interface SituationTarget {
  readonly kind: StructureKind;
  readonly category: string;
  readonly weight: number;
  /** TRE_R23: L libéral, S salarié. */
  readonly mode: 'L' | 'S';
  /** TRE_R21. */
  readonly role: string;
  /** TRE_R06, pharmacists only. */
  readonly section?: string;
}

export interface ProfessionSpec {
  readonly key: string;
  readonly table: TableName;
  readonly code: string;
  readonly count: number;
  /** TRE_R09: `E` for interns (students), `C` otherwise. */
  readonly category: 'C' | 'E';
  /** Share still registered with an ADELI number (ex-ADELI professions not yet moved to the RPPS). */
  readonly adeliShare: number;
  /** Registration authority (TRE_R60) of RPPS-registered professionals. */
  readonly authority: string;
  readonly femaleShare: number;
  /** Whether the profession carries the `DR` civilité d'exercice (TRE_R11). */
  readonly doctor: boolean;
  /** [TRE_R38 code, weight]; the share of persons with one. */
  readonly specialties: readonly (readonly [string, number])[];
  readonly specialtyShare: number;
  readonly targets: readonly SituationTarget[];
  /** Whose group practices the profession's `C` situations are in (assistants dentaires work in dentists'). */
  readonly practicePool: string;
  /** Average number of people sharing a group practice: sets the size of the pool. */
  readonly practiceSize: number;
  readonly practiceNames: readonly string[];
  readonly mailboxShare: number;
  readonly mailDomain: string;
  readonly cardShare: number;
  /** TRE_R48 diploma, `AU` (other diploma, no code) or an authorisation TRE_R17 (`AM28`). */
  readonly diploma: string;
}

const t = (
  kind: StructureKind,
  category: string,
  weight: number,
  mode: 'L' | 'S',
  role: string,
  section?: string,
): SituationTarget =>
  section ? { kind, category, weight, mode, role, section } : { kind, category, weight, mode, role };

const R = (w: number, role = 'FON-01'): SituationTarget => t('R', '', w, 'L', role);
const C = (w: number, mode: 'L' | 'S' = 'L', role = mode === 'L' ? 'FON-02' : 'FON-33'): SituationTarget =>
  t('C', '', w, mode, role);
const F = (category: string, w: number, mode: 'L' | 'S' = 'S', role = 'FON-33'): SituationTarget =>
  t('F', category, w, mode, role);

const G15 = 'TRE_G15-ProfessionSante';
const R95 = 'TRE_R95-UsagerTitre';

interface Partial0 {
  key: string;
  table?: TableName;
  code: string;
  count: number;
  category?: 'C' | 'E';
  adeliShare?: number;
  authority?: string;
  femaleShare: number;
  doctor?: boolean;
  specialties?: readonly (readonly [string, number])[];
  specialtyShare?: number;
  targets: readonly SituationTarget[];
  practicePool?: string;
  practiceSize?: number;
  practiceNames: readonly string[];
  mailboxShare: number;
  mailDomain?: string;
  cardShare: number;
  diploma: string;
}

const spec = (p: Partial0): ProfessionSpec => ({
  table: G15,
  category: 'C',
  adeliShare: 0,
  authority: 'ARS',
  doctor: false,
  specialties: [],
  specialtyShare: 0,
  practicePool: p.key,
  practiceSize: 2,
  mailDomain: 'mssante.fr',
  ...p,
});

const MEDICAL_SPECIALTIES: readonly (readonly [string, number])[] = [
  ['SM54', 80],
  ['SM53', 15],
  ['SM26', 5],
  ['SM02', 11],
  ['SM04', 7.5],
  ['SM42', 15],
  ['SM40', 9],
  ['SM38', 6],
  ['SM44', 8],
  ['SM74', 1],
  ['SM20', 5.5],
  ['SM15', 4],
  ['SM24', 4],
  ['SM41', 3.5],
  ['SM32', 3],
  ['SM48', 2.7],
  ['SM59', 5],
  ['SM03', 3],
  ['SM08', 3.6],
  ['SM14', 3],
  ['SM34', 3],
  ['SM18', 2],
  ['SM27', 3],
  ['SM30', 2],
  ['SM25', 5],
  ['SM16', 2],
  ['SM21', 1],
  ['SM36', 1.5],
  ['SM01', 1.6],
  ['SM19', 1],
  ['SM29', 2],
  ['SM12', 1.5],
  ['SM28', 0.8],
  ['SM45', 0.9],
  ['SM49', 1.5],
  ['SM13', 0.6],
  ['SM11', 0.8],
  ['SM31', 0.6],
  ['SM10', 0.9],
  ['SM06', 0.3],
  ['SM50', 0.5],
  ['SM09', 0.5],
  ['SM17', 0.3],
  ['SM58', 0.5],
  ['SM57', 0.3],
  ['SM61', 0.5],
  ['SM46', 0.5],
  ['SM73', 0.5],
  ['SM43', 1],
  ['SM62', 0.4],
  ['SM60', 0.3],
];

/** The national population per profession (scale 1); the brief's figures, smaller professions estimated. */
export const PROFESSIONS: readonly ProfessionSpec[] = [
  spec({
    key: 'medecin',
    code: '10',
    count: 230_000,
    authority: 'CNOM',
    femaleShare: 0.5,
    doctor: true,
    specialties: MEDICAL_SPECIALTIES,
    specialtyShare: 0.96,
    targets: [
      R(32),
      C(18),
      R(3, 'FON-22'),
      F('101', 12),
      F('355', 14),
      F('106', 2),
      F('365', 4, 'L', 'FON-01'),
      F('128', 2, 'L', 'FON-01'),
      F('500', 2, 'S', 'FON-63'),
      F('124', 3),
      F('156', 2),
      F('611', 1.5, 'L', 'FON-41'),
    ],
    practiceNames: [
      'CABINET MEDICAL',
      'SELARL DU DR {NOM}',
      'SCM {COMMUNE}',
      'MAISON MEDICALE {VOIE}',
      'CENTRE MEDICAL {VOIE}',
    ],
    mailboxShare: 0.78,
    mailDomain: 'medecin.mssante.fr',
    cardShare: 0.9,
    diploma: 'DE05',
  }),
  spec({
    key: 'interne',
    code: '10',
    count: 40_000,
    category: 'E',
    authority: 'CNOM',
    femaleShare: 0.6,
    targets: [F('101', 70, 'S', 'FON-48'), F('355', 30, 'S', 'FON-48')],
    practiceNames: ['CABINET MEDICAL'],
    mailboxShare: 0.45,
    mailDomain: 'medecin.mssante.fr',
    cardShare: 0.85,
    diploma: '',
  }),
  spec({
    key: 'infirmier',
    code: '60',
    count: 700_000,
    authority: 'ONI',
    femaleShare: 0.87,
    specialties: [
      ['SI08', 22],
      ['SI07', 11],
      ['SI06', 8],
      ['SI01', 1.5],
      ['SI04', 0.4],
      ['SI05', 0.3],
      ['SI02', 0.2],
      ['SI03', 0.1],
    ],
    specialtyShare: 0.062,
    targets: [
      R(14),
      C(6),
      R(2, 'FON-22'),
      F('355', 30),
      F('101', 15),
      F('365', 6),
      F('128', 3),
      F('500', 12),
      F('354', 5),
      F('124', 2),
      F('156', 2),
      F('106', 3),
      F('183', 1),
    ],
    practiceNames: [
      'CABINET INFIRMIER',
      'CABINET DE SOINS INFIRMIERS {VOIE}',
      'SCM DES INFIRMIERS {COMMUNE}',
      'SISA {COMMUNE}',
    ],
    mailboxShare: 0.22,
    mailDomain: 'infirmier.mssante.fr',
    cardShare: 0.55,
    diploma: 'DE09',
  }),
  spec({
    key: 'kine',
    code: '70',
    count: 90_000,
    authority: 'CNOMK',
    femaleShare: 0.5,
    targets: [R(55), C(22), R(5, 'FON-22'), F('355', 6), F('101', 4), F('500', 3), F('365', 3)],
    practiceNames: ['CABINET DE KINESITHERAPIE', 'SCM KINE {COMMUNE}', 'CENTRE DE REEDUCATION {VOIE}'],
    mailboxShare: 0.35,
    mailDomain: 'masseur-kinesitherapeute.mssante.fr',
    cardShare: 0.85,
    diploma: 'DE11',
  }),
  spec({
    key: 'psychologue',
    table: R95,
    code: '93',
    count: 80_000,
    adeliShare: 0.55,
    femaleShare: 0.85,
    targets: [
      R(30),
      C(8),
      F('156', 15),
      F('189', 6),
      F('183', 8),
      F('186', 3),
      F('355', 12),
      F('101', 6),
      F('500', 5),
      F('449', 3),
      F('446', 2),
    ],
    practiceNames: ['CABINET DE PSYCHOLOGIE', 'CABINET DE PSYCHOLOGUES {COMMUNE}'],
    mailboxShare: 0.05,
    cardShare: 0.1,
    diploma: 'DE15',
  }),
  spec({
    key: 'pharmacien',
    code: '21',
    count: 75_000,
    authority: 'CNOP',
    femaleShare: 0.68,
    doctor: true,
    targets: [
      t('F', '620', 35, 'L', 'FON-03', 'A'),
      t('F', '620', 28, 'S', 'FON-05', 'D'),
      t('F', '101', 6, 'S', 'FON-33', 'H'),
      t('F', '355', 6, 'S', 'FON-33', 'H'),
      t('F', '611', 7, 'L', 'FON-40', 'G'),
      t('C', '', 12, 'S', 'FON-33', 'B'),
      t('C', '', 4, 'S', 'FON-33', 'C'),
    ],
    practiceSize: 12,
    practiceNames: [
      'LABORATOIRES {NOM}',
      '{NOM} PHARMA',
      'REPARTITION PHARMACEUTIQUE {COMMUNE}',
      'LABORATOIRE {NOM} SANTE',
    ],
    mailboxShare: 0.55,
    mailDomain: 'pharmacien.mssante.fr',
    cardShare: 0.85,
    diploma: 'DE02',
  }),
  spec({
    key: 'technicien-labo',
    code: '86',
    count: 45_000,
    adeliShare: 0.5,
    femaleShare: 0.75,
    targets: [F('611', 65), F('101', 18), F('355', 17)],
    practiceNames: ['LABORATOIRE {NOM}'],
    mailboxShare: 0.02,
    cardShare: 0.15,
    diploma: 'DE38',
  }),
  spec({
    key: 'assistant-social',
    table: 'TRE_R94-ProfessionSocial',
    code: '41',
    count: 44_000,
    adeliShare: 1,
    femaleShare: 0.9,
    targets: [
      F('355', 25),
      F('101', 10),
      F('156', 12),
      F('183', 8),
      F('500', 8),
      F('609', 3),
      F('446', 6),
      F('449', 6),
      F('223', 5),
      R(3),
    ],
    practiceNames: ['CABINET {NOM}'],
    mailboxShare: 0.05,
    cardShare: 0.05,
    diploma: 'DE28',
  }),
  spec({
    key: 'chirurgien-dentiste',
    code: '40',
    count: 42_000,
    authority: 'ONCD',
    femaleShare: 0.48,
    doctor: true,
    specialties: [
      ['SCD01', 2.5],
      ['SCD02', 0.8],
      ['SCD03', 0.3],
    ],
    specialtyShare: 0.086,
    targets: [R(40), C(45), R(3, 'FON-17'), F('124', 9), F('101', 3)],
    practiceNames: [
      'CABINET DENTAIRE',
      'SELARL DU DR {NOM}',
      'CENTRE DENTAIRE {VOIE}',
      'SCM DENTAIRE {COMMUNE}',
    ],
    mailboxShare: 0.45,
    mailDomain: 'chirurgien-dentiste.mssante.fr',
    cardShare: 0.9,
    diploma: 'DE03',
  }),
  spec({
    key: 'opticien',
    code: '28',
    count: 37_000,
    adeliShare: 0.3,
    femaleShare: 0.55,
    targets: [C(85, 'S'), C(15, 'L', 'FON-01')],
    practiceSize: 3,
    practiceNames: ['OPTIQUE {NOM}', 'OPTIQUE DU CENTRE', 'LES OPTICIENS DE {COMMUNE}', 'OPTIQUE {VOIE}'],
    mailboxShare: 0.01,
    cardShare: 0.2,
    diploma: 'DE08',
  }),
  spec({
    key: 'manipulateur',
    code: '98',
    count: 36_000,
    adeliShare: 0.3,
    femaleShare: 0.7,
    targets: [F('355', 40), F('101', 25), C(30, 'S'), F('365', 5)],
    practicePool: 'medecin',
    practiceNames: [],
    mailboxShare: 0.03,
    cardShare: 0.35,
    diploma: 'DE39',
  }),
  spec({
    key: 'osteopathe',
    table: R95,
    code: '71',
    count: 32_000,
    adeliShare: 1,
    femaleShare: 0.45,
    targets: [R(85), C(15)],
    practiceNames: ["CABINET D'OSTEOPATHIE", 'CABINET {NOM}'],
    mailboxShare: 0.03,
    cardShare: 0.05,
    diploma: 'AM28',
  }),
  spec({
    key: 'assistant-dentaire',
    code: '31',
    count: 30_000,
    femaleShare: 0.95,
    authority: 'ARS',
    targets: [C(92, 'S'), F('124', 8)],
    practicePool: 'chirurgien-dentiste',
    practiceNames: [],
    mailboxShare: 0,
    cardShare: 0.1,
    diploma: 'AU',
  }),
  spec({
    key: 'orthophoniste',
    code: '91',
    count: 25_000,
    adeliShare: 0.2,
    femaleShare: 0.97,
    targets: [R(70), C(10), F('355', 6), F('183', 6), F('189', 4), F('101', 4)],
    practiceNames: ["CABINET D'ORTHOPHONIE", 'CABINET {NOM}'],
    mailboxShare: 0.2,
    cardShare: 0.8,
    diploma: 'DE13',
  }),
  spec({
    key: 'sage-femme',
    code: '50',
    count: 23_000,
    authority: 'CNOSF',
    femaleShare: 0.97,
    targets: [
      R(28),
      C(6),
      F('355', 30),
      F('101', 18),
      F('122', 4, 'L', 'FON-01'),
      F('128', 4),
      F('223', 6),
      F('124', 4),
    ],
    practiceNames: ['CABINET DE SAGES-FEMMES {COMMUNE}', 'CABINET {NOM}'],
    mailboxShare: 0.6,
    mailDomain: 'sage-femme.mssante.fr',
    cardShare: 0.85,
    diploma: 'DE06',
  }),
  spec({
    key: 'psychotherapeute',
    table: R95,
    code: '72',
    count: 16_000,
    adeliShare: 1,
    femaleShare: 0.7,
    targets: [R(90), C(10)],
    practiceNames: ['CABINET DE PSYCHOTHERAPIE', 'CABINET {NOM}'],
    mailboxShare: 0.02,
    cardShare: 0.02,
    diploma: 'AM42',
  }),
  spec({
    key: 'pedicure-podologue',
    code: '80',
    count: 14_000,
    authority: 'CNOPP',
    femaleShare: 0.7,
    targets: [R(85), C(13), F('500', 2)],
    practiceNames: ['CABINET DE PODOLOGIE', 'CABINET {NOM}'],
    mailboxShare: 0.2,
    mailDomain: 'pedicure-podologue.mssante.fr',
    cardShare: 0.8,
    diploma: 'DE12',
  }),
  spec({
    key: 'psychomotricien',
    code: '96',
    count: 13_000,
    adeliShare: 0.3,
    femaleShare: 0.88,
    targets: [R(25), F('183', 25), F('189', 15), F('355', 15), F('500', 8), F('186', 7), F('101', 5)],
    practiceNames: ['CABINET DE PSYCHOMOTRICITE'],
    mailboxShare: 0.05,
    cardShare: 0.2,
    diploma: 'DE32',
  }),
  spec({
    key: 'dieteticien',
    code: '95',
    count: 12_000,
    adeliShare: 0.4,
    femaleShare: 0.92,
    targets: [R(35), F('355', 30), F('101', 20), F('365', 8), F('500', 7)],
    practiceNames: ['CABINET DE DIETETIQUE'],
    mailboxShare: 0.08,
    cardShare: 0.2,
    diploma: 'AU',
  }),
  spec({
    key: 'ergotherapeute',
    code: '94',
    count: 10_000,
    adeliShare: 0.3,
    femaleShare: 0.85,
    targets: [
      R(12),
      F('355', 25),
      F('101', 15),
      F('365', 15),
      F('500', 12),
      F('183', 8),
      F('445', 6),
      F('609', 4),
      F('449', 3),
    ],
    practiceNames: ["CABINET D'ERGOTHERAPIE"],
    mailboxShare: 0.08,
    cardShare: 0.3,
    diploma: 'DE30',
  }),
  spec({
    key: 'orthoptiste',
    code: '92',
    count: 5_000,
    adeliShare: 0.2,
    femaleShare: 0.9,
    targets: [R(50), C(40, 'S'), F('101', 10)],
    practicePool: 'medecin',
    practiceNames: [],
    mailboxShare: 0.2,
    cardShare: 0.8,
    diploma: 'DE14',
  }),
  spec({
    key: 'audioprothesiste',
    code: '26',
    count: 4_000,
    adeliShare: 0.3,
    femaleShare: 0.4,
    targets: [C(90, 'S'), C(10, 'L', 'FON-01')],
    practiceSize: 2,
    practiceNames: ['AUDITION {NOM}', 'CENTRE AUDITIF {COMMUNE}', 'AUDITION {VOIE}'],
    mailboxShare: 0.05,
    cardShare: 0.6,
    diploma: 'DE29',
  }),
  spec({
    key: 'infirmier-psychiatrique',
    code: '69',
    count: 1_500,
    authority: 'ONI',
    femaleShare: 0.7,
    targets: [F('355', 50), F('156', 30), F('161', 20)],
    practiceNames: [],
    mailboxShare: 0.1,
    cardShare: 0.4,
    diploma: 'DE10',
  }),
  spec({
    key: 'chiropracteur',
    table: R95,
    code: '73',
    count: 1_300,
    adeliShare: 1,
    femaleShare: 0.35,
    targets: [R(90), C(10)],
    practiceNames: ['CABINET DE CHIROPRAXIE'],
    mailboxShare: 0.02,
    cardShare: 0.02,
    diploma: 'AM35',
  }),
  spec({
    key: 'orthopediste-orthesiste',
    code: '83',
    count: 1_500,
    adeliShare: 0.6,
    femaleShare: 0.4,
    targets: [C(80, 'S'), C(20, 'L', 'FON-01')],
    practiceSize: 3,
    practiceNames: ['ORTHOPEDIE {NOM}', 'ORTHOPEDIE {COMMUNE}'],
    mailboxShare: 0.02,
    cardShare: 0.3,
    diploma: 'AU',
  }),
  spec({
    key: 'physicien-medical',
    code: '32',
    count: 900,
    femaleShare: 0.4,
    targets: [F('101', 60), F('355', 40)],
    practiceNames: [],
    mailboxShare: 0.05,
    cardShare: 0.2,
    diploma: 'AU',
  }),
  spec({
    key: 'orthoprothesiste',
    code: '81',
    count: 500,
    adeliShare: 0.6,
    femaleShare: 0.25,
    targets: [C(80, 'S'), C(20, 'L', 'FON-01')],
    practicePool: 'orthopediste-orthesiste',
    practiceNames: [],
    mailboxShare: 0.02,
    cardShare: 0.3,
    diploma: 'AU',
  }),
  spec({
    key: 'podo-orthesiste',
    code: '82',
    count: 350,
    adeliShare: 0.6,
    femaleShare: 0.3,
    targets: [C(80, 'S'), C(20, 'L', 'FON-01')],
    practicePool: 'orthopediste-orthesiste',
    practiceNames: [],
    mailboxShare: 0.02,
    cardShare: 0.3,
    diploma: 'AU',
  }),
  spec({
    key: 'oculariste',
    code: '84',
    count: 60,
    adeliShare: 0.6,
    femaleShare: 0.3,
    targets: [C(100, 'L', 'FON-01')],
    practiceNames: ['CABINET {NOM}'],
    mailboxShare: 0.02,
    cardShare: 0.3,
    diploma: 'AU',
  }),
  spec({
    key: 'epithesiste',
    code: '85',
    count: 40,
    adeliShare: 0.6,
    femaleShare: 0.3,
    targets: [C(100, 'L', 'FON-01')],
    practiceNames: ['CABINET {NOM}'],
    mailboxShare: 0.02,
    cardShare: 0.3,
    diploma: 'AU',
  }),
];
