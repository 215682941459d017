/**
 * Column names of the PS_LibreAcces extract (RPPS and ex-ADELI professionals), exactly as the published header
 * spells them. Lines are `|`-separated, unquoted, each ending with a trailing `|`. Files are read by header name,
 * so the legacy 52-column Personne_activite layout (which stops after the pharmacists' section) reads too.
 * Format notes: ../shared/reference/annuaire-formats.md §1.
 */

/** `PS_LibreAcces_Personne_activite_*.txt`: one line per person × practice situation × savoir-faire. */
export const PERSONNE_ACTIVITE = {
  typeIdentifiant: "Type d'identifiant PP",
  identifiant: 'Identifiant PP',
  idNatPs: 'Identification nationale PP',
  codeCiviliteExercice: "Code civilité d'exercice",
  libelleCiviliteExercice: "Libellé civilité d'exercice",
  codeCivilite: 'Code civilité',
  libelleCivilite: 'Libellé civilité',
  nomExercice: "Nom d'exercice",
  prenomExercice: "Prénom d'exercice",
  codeProfession: 'Code profession',
  libelleProfession: 'Libellé profession',
  codeCategorie: 'Code catégorie professionnelle',
  libelleCategorie: 'Libellé catégorie professionnelle',
  codeTypeSavoirFaire: 'Code type savoir-faire',
  libelleTypeSavoirFaire: 'Libellé type savoir-faire',
  codeSavoirFaire: 'Code savoir-faire',
  libelleSavoirFaire: 'Libellé savoir-faire',
  codeModeExercice: 'Code mode exercice',
  libelleModeExercice: 'Libellé mode exercice',
  siret: 'Numéro SIRET site',
  siren: 'Numéro SIREN site',
  finessSite: 'Numéro FINESS site',
  finessJuridique: 'Numéro FINESS établissement juridique',
  structureId: 'Identifiant technique de la structure',
  raisonSociale: 'Raison sociale site',
  enseigne: 'Enseigne commerciale site',
  complementDestinataire: 'Complément destinataire (coord. structure)',
  complementPointGeographique: 'Complément point géographique (coord. structure)',
  numeroVoie: 'Numéro Voie (coord. structure)',
  indiceRepetitionVoie: 'Indice répétition voie (coord. structure)',
  codeTypeVoie: 'Code type de voie (coord. structure)',
  libelleTypeVoie: 'Libellé type de voie (coord. structure)',
  libelleVoie: 'Libellé Voie (coord. structure)',
  mentionDistribution: 'Mention distribution (coord. structure)',
  bureauCedex: 'Bureau cedex (coord. structure)',
  codePostal: 'Code postal (coord. structure)',
  codeCommune: 'Code commune (coord. structure)',
  libelleCommune: 'Libellé commune (coord. structure)',
  codePays: 'Code pays (coord. structure)',
  libellePays: 'Libellé pays (coord. structure)',
  telephone: 'Téléphone (coord. structure)',
  telephone2: 'Téléphone 2 (coord. structure)',
  telecopie: 'Télécopie (coord. structure)',
  email: 'Adresse e-mail (coord. structure)',
  codeDepartement: 'Code Département (structure)',
  libelleDepartement: 'Libellé Département (structure)',
  ancienIdentifiantStructure: 'Ancien identifiant de la structure',
  autoriteEnregistrement: "Autorité d'enregistrement",
  codeSecteurActivite: "Code secteur d'activité",
  libelleSecteurActivite: "Libellé secteur d'activité",
  codeSectionPharmacien: 'Code section tableau pharmaciens',
  libelleSectionPharmacien: 'Libellé section tableau pharmaciens',
  // The current layout only (56 columns); absent from the legacy 52-column files.
  codeRole: 'Code rôle',
  libelleRole: 'Libellé rôle',
  codeGenreActivite: 'Code genre activité',
  libelleGenreActivite: 'Libellé genre activité',
} as const;

/** The columns the legacy layout lacks. */
export const PERSONNE_ACTIVITE_CURRENT_ONLY: readonly string[] = [
  PERSONNE_ACTIVITE.codeRole,
  PERSONNE_ACTIVITE.libelleRole,
  PERSONNE_ACTIVITE.codeGenreActivite,
  PERSONNE_ACTIVITE.libelleGenreActivite,
];

/** `PS_LibreAcces_Dipl_AutExerc_*.txt`: one line per diploma and/or exercise authorisation. */
export const DIPL_AUT_EXERC = {
  typeIdentifiant: "Type d'identifiant PP",
  identifiant: 'Identifiant PP',
  idNatPs: 'Identification nationale PP',
  nomExercice: "Nom d'exercice",
  prenomExercice: "Prénom d'exercice",
  codeTypeDiplome: 'Code type diplôme obtenu',
  libelleTypeDiplome: 'Libellé type diplôme obtenu',
  codeDiplome: 'Code diplôme obtenu',
  libelleDiplome: 'Libellé diplôme obtenu',
  codeTypeAutorisation: 'Code type autorisation',
  libelleTypeAutorisation: 'Libellé type autorisation',
  codeDisciplineAutorisation: 'Code discipline autorisation',
  libelleDisciplineAutorisation: 'Libellé discipline autorisation',
} as const;

/** `PS_LibreAcces_SavoirFaire_*.txt`: one line per person × profession × savoir-faire. */
export const SAVOIR_FAIRE = {
  typeIdentifiant: "Type d'identifiant PP",
  identifiant: 'Identifiant PP',
  idNatPs: 'Identification nationale PP',
  nomExercice: "Nom d'exercice",
  prenomExercice: "Prénom d'exercice",
  codeProfession: 'Code profession',
  libelleProfession: 'Libellé profession',
  codeCategorie: 'Code catégorie professionnelle',
  libelleCategorie: 'Libellé catégorie professionnelle',
  codeTypeSavoirFaire: 'Code type savoir-faire',
  libelleTypeSavoirFaire: 'Libellé type savoir-faire',
  codeSavoirFaire: 'Code savoir-faire',
  libelleSavoirFaire: 'Libellé savoir-faire',
} as const;

/** File names: `PS_LibreAcces_YYYYMMDDhhmm.zip` holding the three `.txt` files with the same timestamp. */
export const PS_LIBRE_ACCES_ZIP = /^PS_LibreAcces_(\d{12})\.zip$/;
export const PS_LIBRE_ACCES_TXT =
  /^PS_LibreAcces_(Personne_activite|Dipl_AutExerc|SavoirFaire)_(\d{12})\.txt$/;
