/**
 * Column names of `Extraction_Correspondance_MSSante_*.txt` (one line per MSSanté mailbox, `|`-separated, 31
 * columns). Whether lines end with a trailing `|` is not documented: both are read.
 * Format notes: ../shared/reference/annuaire-formats.md §2.1.
 */
export const MSSANTE = {
  typeBal: 'Type de BAL',
  adresseBal: 'Adresse BAL',
  typeIdentifiantPp: 'Type Identifiant PP',
  identifiantPp: 'Identifiant PP',
  idNatPs: 'Identification nationale PP',
  typeIdentifiantStructure: 'Type identifiant structure',
  identificationStructure: 'Identification Structure',
  serviceRattachement: 'Service de rattachement',
  civiliteExercice: "Civilité d'exercice",
  nomExercice: "Nom d'exercice",
  prenomExercice: "Prénom d'exercice",
  categorieProfession: 'Catégorie profession',
  libelleCategorieProfession: 'Libellé de catégorie profession',
  codeProfession: 'Code Profession',
  libelleProfession: 'Libellé Profession',
  codeSavoirFaire: 'Code savoir-faire',
  libelleSavoirFaire: 'Libellé savoir-faire',
  dematerialisation: 'Dématérialisation',
  raisonSociale: 'Raison Sociale structure BAL',
  enseigne: 'Enseigne commerciale structure BAL',
  complementLocalisation: 'L2COMPLEMENTLOCALISATION structure BAL',
  complementDistribution: 'L3COMPLEMENTDISTRIBUTION structure BAL',
  numeroVoie: 'L4NUMEROVOIE structure BAL',
  complementNumeroVoie: 'L4COMPLEMENTNUMEROVOIE structure BAL',
  typeVoie: 'NL4TYPEVOIE structure BAL',
  libelleVoie: 'L4LIBELLEVOIE structure BAL',
  lieuDitMention: 'L5LIEUDITMENTION structure BAL',
  ligneAcheminement: 'L6LIGNEACHEMINEMENT structure BAL',
  codePostal: 'Code postal structure BAL',
  departement: 'Département structure BAL',
  pays: 'Pays structure BAL',
} as const;

export const MSSANTE_FILE = /^Extraction_Correspondance_MSSante_(\d{12})\.(txt|zip)$/;
